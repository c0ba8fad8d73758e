namespace CredentialBot.Store.Tests;

/// <summary><see cref="AutomaticRotationStoreTests"/> on a real PostgreSQL server.</summary>
public sealed class PostgresAutomaticRotationStoreTests() : AutomaticRotationStoreTests(new PostgresStore());
