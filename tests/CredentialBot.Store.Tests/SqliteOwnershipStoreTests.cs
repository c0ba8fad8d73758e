namespace CredentialBot.Store.Tests;

/// <summary><see cref="OwnershipStoreTests"/> on SQLite.</summary>
public sealed class SqliteOwnershipStoreTests() : OwnershipStoreTests(new SqliteStore());
