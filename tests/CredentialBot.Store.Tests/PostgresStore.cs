using CredentialBot.TestKit.Postgres;
using CredentialBot.TestKit.Time;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CredentialBot.Store.Tests;

/// <summary>A fresh database per test class on the real PostgreSQL server of this test run, migrated the way the host migrates it.</summary>
public sealed class PostgresStore : ITestStore
{
    public FakeTimeProvider Time { get; } = new();

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        ConnectionString = await (await PostgresCluster.Shared).CreateDatabaseAsync("store");
        await using var db = NewContext();
        await StoreDatabase.MigrateAsync(db);
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    public CredentialBotDbContext NewContext() =>
        new PostgresCredentialBotDbContext(new DbContextOptionsBuilder<PostgresCredentialBotDbContext>().UseNpgsql(ConnectionString).Options);
}
