namespace CredentialBot.Store.Tests;

/// <summary><see cref="AppRegistrationRequestStoreTests"/> on SQLite.</summary>
public sealed class SqliteAppRegistrationRequestStoreTests() : AppRegistrationRequestStoreTests(new SqliteStore());
