namespace CredentialBot.Store.Tests;

/// <summary><see cref="GrantStoreTests"/> on a real PostgreSQL server.</summary>
public sealed class PostgresGrantStoreTests() : GrantStoreTests(new PostgresStore());
