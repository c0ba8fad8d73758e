namespace CredentialBot.Store.Tests;

/// <summary><see cref="SecretRemovalStoreTests"/> on SQLite.</summary>
public sealed class SqliteSecretRemovalStoreTests() : SecretRemovalStoreTests(new SqliteStore());
