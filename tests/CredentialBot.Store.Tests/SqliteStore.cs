using CredentialBot.TestKit.Time;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Store.Tests;

/// <summary>A fresh SQLite file per test class, migrated the way the host migrates it; a new context per use.</summary>
public sealed class SqliteStore : ITestStore
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"cb-store-{Guid.NewGuid():N}.db");

    public StoreProvider Provider => StoreProvider.Sqlite;

    public FakeTimeProvider Time { get; } = new(TestClock.DefaultStart);

    public string ConnectionString => PooledConnectionString + ";Pooling=False";

    /// <summary>The same file through Microsoft.Data.Sqlite's pool, as the host opens it, for tests about pooled handles.</summary>
    public string PooledConnectionString => $"Data Source={_path}";

    public async Task InitializeAsync()
    {
        await using var db = NewContext();
        await StoreDatabase.MigrateAsync(db);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }

    public CredentialBotDbContext NewContext(ILoggerFactory? logs = null) => ContextFor(ConnectionString, logs);

    /// <summary>A context on any SQLite file (migrated or not), configured as the host configures it.</summary>
    public static CredentialBotDbContext ContextFor(string connectionString, ILoggerFactory? logs = null)
    {
        var options = new DbContextOptionsBuilder<SqliteCredentialBotDbContext>();
        StoreServiceCollectionExtensions.UseSqlite(options, connectionString);
        if (logs is not null)
        {
            options.UseLoggerFactory(logs);
        }

        return new SqliteCredentialBotDbContext(options.Options);
    }
}
