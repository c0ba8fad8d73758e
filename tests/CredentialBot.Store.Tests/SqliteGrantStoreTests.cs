namespace CredentialBot.Store.Tests;

/// <summary><see cref="GrantStoreTests"/> on SQLite.</summary>
public sealed class SqliteGrantStoreTests() : GrantStoreTests(new SqliteStore());
