namespace CredentialBot.Store.Tests;

/// <summary><see cref="AppRegistrationRequestStoreTests"/> on a real PostgreSQL server.</summary>
public sealed class PostgresAppRegistrationRequestStoreTests() : AppRegistrationRequestStoreTests(new PostgresStore());
