namespace CredentialBot.Store.Tests;

/// <summary><see cref="AppCatalogTests"/> on SQLite.</summary>
public sealed class SqliteAppCatalogTests() : AppCatalogTests(new SqliteStore());
