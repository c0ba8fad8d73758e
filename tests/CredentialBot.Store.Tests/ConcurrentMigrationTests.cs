using CredentialBot.TestKit.Logging;
using CredentialBot.TestKit.Postgres;
using CredentialBot.TestKit.Waiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CredentialBot.Store.Tests;

/// <summary>
/// Several instances start at once on one empty database and each migrates: every migration is applied once and no
/// instance fails (EF Core's own lock lets concurrent migrators re-apply a migration: 42P07 "relation already
/// exists"). With migrate-at-start off, an instance refuses a schema behind it, naming what to run.
/// </summary>
public sealed class ConcurrentMigrationTests
{
    private const int Migrators = 4;

    [Fact]
    public async Task ConcurrentMigratorsOnAnEmptyPostgresDatabase_ApplyEachMigrationOnce_AndNoneFails()
    {
        for (var round = 0; round < 3; round++)
        {
            var connectionString = await (await PostgresCluster.Shared).CreateDatabaseAsync("migrate");
            var logs = new LogCapture();

            var applied = await Task.WhenAll(Enumerable.Range(0, Migrators).Select(_ => Task.Run(async () =>
            {
                await using var db = Postgres(connectionString, logs);
                return await StoreDatabase.MigrateAsync(db);
            })));

            await using var check = Postgres(connectionString);
            Assert.Equal(check.Database.GetMigrations(), Assert.Single(applied, a => a.Count > 0));
            Assert.Equal(check.Database.GetMigrations(), await check.Database.GetAppliedMigrationsAsync());
            Assert.Empty(logs.AtLeast(LogLevel.Error));
        }
    }

    [Fact]
    public async Task ConcurrentMigratorsOfADatabaseThatDoesNotExistYet_CreateItOnce_AndMigrateIt()
    {
        var cluster = await PostgresCluster.Shared;
        var connectionString = cluster.ConnectionStringFor($"missing_{Guid.NewGuid():N}");
        var logs = new LogCapture();

        var applied = await Task.WhenAll(Enumerable.Range(0, Migrators).Select(_ => Task.Run(async () =>
        {
            await using var db = Postgres(connectionString, logs);
            return await StoreDatabase.MigrateAsync(db, logs.CreateLogger("migrator"), CancellationToken.None);
        })));

        await using var check = Postgres(connectionString);
        Assert.Equal(check.Database.GetMigrations(), Assert.Single(applied, a => a.Count > 0));
        Assert.Single(logs.Lines, l => l.Contains("Created the PostgreSQL database", StringComparison.Ordinal));
        Assert.Empty(logs.AtLeast(LogLevel.Error));
    }

    [Fact]
    public async Task ConcurrentMigratorsOnAnEmptySqliteFile_ApplyEachMigrationOnce_AndNoneFails()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cb-migrate-{Guid.NewGuid():N}.db");
        try
        {
            // SQLite has one writer at a time, and EF Core's own lock (a row in __EFMigrationsLock) covers the whole
            // run; this pins that down for the single-instance store too.
            await Task.WhenAll(Enumerable.Range(0, Migrators).Select(_ => Task.Run(async () =>
            {
                await using var db = Sqlite(path);
                await StoreDatabase.MigrateAsync(db);
            })));

            await using var check = Sqlite(path);
            Assert.Equal(check.Database.GetMigrations(), await check.Database.GetAppliedMigrationsAsync());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task AFreshPostgresDatabase_MigratesWithoutLoggingAnError()
    {
        var connectionString = await (await PostgresCluster.Shared).CreateDatabaseAsync("migrate");
        var logs = new LogCapture();
        await using var db = Postgres(connectionString, logs);

        await StoreDatabase.MigrateAsync(db);

        Assert.Empty(logs.AtLeast(LogLevel.Error));
    }

    [Fact]
    public async Task AMigratorWaitingForAnother_GoesAheadWhenTheOtherDies()
    {
        var connectionString = await (await PostgresCluster.Shared).CreateDatabaseAsync("migrate");
        var logs = new LogCapture();
        var other = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await other.OpenAsync();
        await using (var hold = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", other))
        {
            hold.Parameters.AddWithValue("key", StoreDatabase.MigrationLockKey);
            await hold.ExecuteNonQueryAsync();
        }

        await using var db = Postgres(connectionString);
        var migrating = StoreDatabase.MigrateAsync(db, logs.CreateLogger("migrator"), CancellationToken.None);
        await Until.TrueAsync(() => logs.Lines.Any(l => l.Contains("Another instance is migrating", StringComparison.Ordinal)), what: "the migrator waiting");
        Assert.False(migrating.IsCompleted);

        // The other migrator's process dies: its session ends, and the lock with it.
        await other.DisposeAsync();

        Assert.Equal(db.Database.GetMigrations(), await migrating.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task WithMigrateAtStartOff_AStoreBehindThisVersion_IsRefused_NamingTheMigrationsAndTheVerb()
    {
        var connectionString = await (await PostgresCluster.Shared).CreateDatabaseAsync("migrate");
        var logs = new LogCapture();
        await using var services = new ServiceCollection()
            .AddScoped(_ => Postgres(connectionString, logs))
            .AddOptions()
            .Configure<StoreOptions>(o => o.MigrateAtStart = false)
            .BuildServiceProvider();

        await using (var scope = services.CreateAsyncScope())
        {
            var refused = await Assert.ThrowsAsync<StoreSchemaBehindException>(() => StoreDatabase.PrepareAsync(scope.ServiceProvider));
            Assert.Contains("migrate", refused.Message, StringComparison.Ordinal);
            Assert.Contains("Store:MigrateAtStart", refused.Message, StringComparison.Ordinal);
            Assert.Contains("_Initial", refused.Message, StringComparison.Ordinal);
            Assert.Empty(logs.AtLeast(LogLevel.Error));
            Assert.Equal(0, (await scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>().Database
                .SqlQueryRaw<long>("""SELECT count(*) AS "Value" FROM pg_tables WHERE schemaname = 'public'""").ToListAsync()).Single());
        }

        await using (var db = Postgres(connectionString))
        {
            await StoreDatabase.MigrateAsync(db);
        }

        await using (var scope = services.CreateAsyncScope())
        {
            await StoreDatabase.PrepareAsync(scope.ServiceProvider);
        }
    }

    private static CredentialBotDbContext Postgres(string connectionString, ILoggerFactory? logs = null) => PostgresStore.ContextFor(connectionString, logs);

    private static CredentialBotDbContext Sqlite(string path) => SqliteStore.ContextFor($"Data Source={path};Pooling=False");
}
