namespace CredentialBot.Store.Tests;

/// <summary>A migrated test database of either provider.</summary>
public interface ITestDatabase : IAsyncLifetime
{
    StoreProvider Provider { get; }

    string ConnectionString { get; }

    CredentialBotDbContext NewContext();
}
