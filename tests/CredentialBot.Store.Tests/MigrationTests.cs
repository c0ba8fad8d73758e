using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CredentialBot.Store.Tests;

/// <summary>The schema comes from real migrations for both providers, and they match the model.</summary>
public sealed class MigrationTests : IAsyncLifetime
{
    private readonly SqliteStore _store = new();

    public Task InitializeAsync() => _store.InitializeAsync();

    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task AFreshDatabase_GetsEveryMigration()
    {
        await using var db = _store.NewContext();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task MigratingTwice_ChangesNothing()
    {
        await using var db = _store.NewContext();

        await StoreDatabase.MigrateAsync(db);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public void TheSqliteMigrations_MatchTheModel()
    {
        using var db = _store.NewContext();

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: dotnet ef migrations add <Name> --context SqliteCredentialBotDbContext");
    }

    [Fact]
    public void ThePostgresMigrations_MatchTheModel_AndCreateEveryTable()
    {
        using var db = new PostgresCredentialBotDbContext(new DbContextOptionsBuilder<PostgresCredentialBotDbContext>().UseNpgsql("Host=unused").Options);

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: dotnet ef migrations add <Name> --context PostgresCredentialBotDbContext");
        var script = db.GetService<IMigrator>().GenerateScript();
        foreach (var table in db.Model.GetEntityTypes().Select(e => e.GetTableName()))
        {
            Assert.Contains($"CREATE TABLE \"{table}\"", script, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheSqliteFile_UsesWriteAheadLogging_SoReadsDoNotWaitForAScan()
    {
        await using var db = _store.NewContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }
}
