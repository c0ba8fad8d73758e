namespace CredentialBot.Store.Tests;

/// <summary><see cref="OwnershipStoreTests"/> on a real PostgreSQL server.</summary>
public sealed class PostgresOwnershipStoreTests() : OwnershipStoreTests(new PostgresStore());
