namespace CredentialBot.Store.Tests;

/// <summary><see cref="AppCatalogTests"/> on a real PostgreSQL server.</summary>
public sealed class PostgresAppCatalogTests() : AppCatalogTests(new PostgresStore());
