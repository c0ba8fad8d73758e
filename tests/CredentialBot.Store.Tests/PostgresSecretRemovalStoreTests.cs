namespace CredentialBot.Store.Tests;

/// <summary><see cref="SecretRemovalStoreTests"/> on a real PostgreSQL server.</summary>
public sealed class PostgresSecretRemovalStoreTests() : SecretRemovalStoreTests(new PostgresStore());
