using CredentialBot.TestKit.Time;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Tests;

/// <summary>A fresh SQLite file per test class, migrated the way the host migrates it; a new context per use.</summary>
public sealed class SqliteStore : ITestStore
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"cb-store-{Guid.NewGuid():N}.db");

    public FakeTimeProvider Time { get; } = new();

    public string ConnectionString => $"Data Source={_path};Pooling=False";

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

    public CredentialBotDbContext NewContext() =>
        new SqliteCredentialBotDbContext(new DbContextOptionsBuilder<SqliteCredentialBotDbContext>().UseSqlite(ConnectionString).Options);
}
