using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
    public async Task EveryMigration_CanBeUndone_LeavingTheSchemaAsItWasBeforeIt()
    {
        await using var db = _store.NewContext();
        var migrator = db.GetService<IMigrator>();
        var migrations = db.Database.GetMigrations().ToList();
        await migrator.MigrateAsync(Migration.InitialDatabase);
        var before = new List<List<string>>();
        foreach (var migration in migrations)
        {
            before.Add(await SchemaAsync(db));
            await migrator.MigrateAsync(migration);
        }

        // Down one at a time. SQLite rebuilds a table for many changes, from the migration's recorded model and without
        // its triggers: a model recorded on a parallel branch, or the search index's triggers, would be lost here.
        for (var index = migrations.Count - 1; index >= 1; index--)
        {
            await migrator.MigrateAsync(migrations[index - 1]);
            Assert.True(before[index].SequenceEqual(await SchemaAsync(db)), $"Undoing {migrations[index]} left a different schema.");
        }

        await StoreDatabase.MigrateAsync(db);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    /// <summary>Every table, index and trigger (the search index's too), as SQLite records them.</summary>
    private static async Task<List<string>> SchemaAsync(CredentialBotDbContext db) =>
        [.. (await db.Database.SqlQueryRaw<string>("""SELECT "type" || ' ' || "name" || ': ' || COALESCE("sql", '') AS "Value" FROM sqlite_master WHERE "name" NOT LIKE 'sqlite_%'""").ToListAsync()).Order(StringComparer.Ordinal)];

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

    [Fact]
    public async Task TheRegisteredStore_TunesEachSqliteConnection_ForScanWrites()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection([new("Store:ConnectionString", _store.ConnectionString)])
            .Build();
        await using var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddCredentialBotStore(configuration)
            .BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>();
        await db.Database.OpenConnectionAsync();

        async Task<long> PragmaAsync(string name)
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"PRAGMA {name};";
            return (long)(await command.ExecuteScalarAsync())!;
        }

        Assert.Equal(1, await PragmaAsync("synchronous"));
        Assert.Equal(-65536, await PragmaAsync("cache_size"));
        Assert.Equal(16384, await PragmaAsync("wal_autocheckpoint"));
    }
}
