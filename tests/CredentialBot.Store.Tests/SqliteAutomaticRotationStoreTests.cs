namespace CredentialBot.Store.Tests;

/// <summary><see cref="AutomaticRotationStoreTests"/> on SQLite.</summary>
public sealed class SqliteAutomaticRotationStoreTests() : AutomaticRotationStoreTests(new SqliteStore());
