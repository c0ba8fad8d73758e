using CredentialBot.TestKit.Postgres;
using CredentialBot.TestKit.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CredentialBot.Store.Tests;

/// <summary>
/// A fresh database per test class on the real PostgreSQL server of this test run (or on a given cluster), configured
/// and migrated the way the host does it.
/// </summary>
public sealed class PostgresStore : ITestStore
{
    private readonly PostgresCluster? _cluster;

    public PostgresStore()
    {
    }

    /// <summary>A store on <paramref name="cluster"/> (one a test may restart) instead of the shared server.</summary>
    public PostgresStore(PostgresCluster cluster) => _cluster = cluster;

    public StoreProvider Provider => StoreProvider.Postgres;

    public FakeTimeProvider Time { get; } = new(TestClock.DefaultStart);

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        ConnectionString = await (_cluster ?? await PostgresCluster.Shared).CreateDatabaseAsync("store");
        await using var db = NewContext();
        await StoreDatabase.MigrateAsync(db);
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    public CredentialBotDbContext NewContext(ILoggerFactory? logs = null) => ContextFor(ConnectionString, logs);

    /// <summary>A context on any PostgreSQL database (migrated or not), configured as the host configures it.</summary>
    public static CredentialBotDbContext ContextFor(string connectionString, ILoggerFactory? logs = null)
    {
        var options = new DbContextOptionsBuilder<PostgresCredentialBotDbContext>();
        StoreServiceCollectionExtensions.UsePostgres(options, connectionString);
        if (logs is not null)
        {
            options.UseLoggerFactory(logs);
        }

        return new PostgresCredentialBotDbContext(options.Options);
    }
}
