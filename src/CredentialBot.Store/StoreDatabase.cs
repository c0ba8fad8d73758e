using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CredentialBot.Store;

/// <summary>
/// Schema management shared by the host, the <c>migrate</c> CLI verb and tests. Several instances may start at once
/// on one empty PostgreSQL database, so migrating is serialised by a PostgreSQL advisory lock (see
/// <see cref="MigrateAsync(CredentialBotDbContext, ILogger?, CancellationToken)"/> for why EF Core's own migration lock is not enough).
/// </summary>
public static partial class StoreDatabase
{
    /// <summary>
    /// The advisory lock key migrations run under (any constant works: advisory locks are per database, and nothing
    /// else in the store takes session-level advisory locks). The bytes spell "CredBot" and a 1.
    /// </summary>
    internal const long MigrationLockKey = 0x43726564426F7401;

    /// <summary>
    /// Applies pending migrations; returns the ids of those that were pending (empty when the store was current). On
    /// PostgreSQL these are exactly the ones this call applied; on SQLite, racing migrators may each list them.
    /// <para>
    /// On PostgreSQL the whole run holds a session-level advisory lock, so concurrent migrators apply each migration
    /// once: the second waits, then finds nothing pending. EF Core 10 with Npgsql 10 does lock
    /// (<c>LOCK TABLE "__EFMigrationsHistory"</c>), but it commits and re-locks per migration while computing the list
    /// of migrations to apply only once, under the first lock; two migrators then interleave, and the slower one
    /// applies a migration the other already committed: <c>42P07: relation "…" already exists</c> in 15 of 20 runs of
    /// four concurrent migrators on an empty database. Reading the history before the table exists also logs a
    /// <c>fail:</c> line on every fresh database; creating the table first (under the lock) avoids it.
    /// </para>
    /// <para>
    /// It also puts back the snapshot's deferred indexes that a first load killed before rebuilding them left missing
    /// (<c>AppCatalog.BeginBulkLoadAsync</c>).
    /// </para>
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(CredentialBotDbContext context, ILogger? logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        logger ??= NullLogger.Instance;
        IReadOnlyList<string> applied;
        if (context.Database.IsNpgsql())
        {
            var connectionString = context.Database.GetConnectionString() ?? throw new InvalidOperationException("The PostgreSQL store has no connection string.");
            // Retried like any store operation: an instance may start while PostgreSQL is still starting or failing over.
            await using var migrationLock = await context.Database.CreateExecutionStrategy().ExecuteAsync(
                ct => AcquireMigrationLockAsync(connectionString, logger, ct),
                cancellationToken).ConfigureAwait(false);
            applied = await ApplyAsync(context, cancellationToken).ConfigureAwait(false);
            await Services.SnapshotIndexes.EnsureAsync(context, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            applied = await ApplyAsync(context, cancellationToken).ConfigureAwait(false);
            // WAL lets readers (chat commands) proceed while a scan writes.
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            await Services.SnapshotIndexes.EnsureAsync(context, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (applied.Count > 0)
        {
            LogApplied(logger, applied.Count, applied);
        }

        return applied;
    }

    /// <inheritdoc cref="MigrateAsync(CredentialBotDbContext, ILogger?, CancellationToken)"/>
    public static Task<IReadOnlyList<string>> MigrateAsync(CredentialBotDbContext context, CancellationToken cancellationToken = default) =>
        MigrateAsync(context, null, cancellationToken);

    /// <summary>
    /// The migrations this build has that the store has not applied, without changing anything (and without the
    /// <c>fail:</c> log line EF Core writes when it reads a history table that does not exist yet).
    /// </summary>
    public static async Task<IReadOnlyList<string>> PendingMigrationsAsync(CredentialBotDbContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        // EF Core finds out whether the history table exists by querying it, and logs the failure as an error.
        var historyExists = context.Database.IsNpgsql()
            ? """SELECT to_regclass('"__EFMigrationsHistory"') IS NOT NULL AS "Value" """
            : """SELECT count(*) > 0 AS "Value" FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'""";
        if (!(await context.Database.SqlQueryRaw<bool>(historyExists).ToListAsync(cancellationToken).ConfigureAwait(false)).Single())
        {
            return [.. context.Database.GetMigrations()];
        }

        return [.. await context.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)];
    }

    /// <summary>
    /// What an instance does with its store at start (and the CLI before a verb): with
    /// <see cref="StoreOptions.MigrateAtStart"/> (the default) it migrates; without, it refuses to run on a schema
    /// that is behind this build (<see cref="StoreSchemaBehindException"/>, naming the migrations and the <c>migrate</c> verb).
    /// </summary>
    public static async Task PrepareAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var context = services.GetRequiredService<CredentialBotDbContext>();
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(StoreDatabase).FullName!) ?? NullLogger.Instance;
        if (services.GetRequiredService<IOptions<StoreOptions>>().Value.MigrateAtStart)
        {
            await MigrateAsync(context, logger, cancellationToken).ConfigureAwait(false);
            return;
        }

        var pending = await PendingMigrationsAsync(context, cancellationToken).ConfigureAwait(false);
        if (pending.Count > 0)
        {
            throw new StoreSchemaBehindException(
                $"The store's schema is behind this version: {pending.Count} migrations are pending ({string.Join(", ", pending)}). " +
                $"Run 'CredentialBot migrate' with this configuration, or set {StoreOptions.SectionName}:{nameof(StoreOptions.MigrateAtStart)}=true.");
        }
    }

    /// <summary>
    /// The migration lock, creating the database first if it does not exist yet (as EF Core's migrator would; an
    /// instance that loses the race to create it just uses it).
    /// </summary>
    private static async Task<PostgresAdvisoryLock> AcquireMigrationLockAsync(string connectionString, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await PostgresAdvisoryLock.AcquireAsync(connectionString, MigrationLockKey, () => LogWaitingForMigrationLock(logger), cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
            var database = builder.Database ?? throw new InvalidOperationException("The PostgreSQL connection string names no database.");
            builder.Database = "postgres";
            await using (var admin = new NpgsqlConnection(builder.ConnectionString))
            {
                await admin.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", admin);
                try
                {
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    LogCreatedDatabase(logger, database);
                }
                catch (PostgresException raced) when (raced.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
                {
                    // Another instance created it a moment ago (while both ran, PostgreSQL reports the clash as a
                    // unique violation in its catalog rather than "already exists").
                }
            }

            return await PostgresAdvisoryLock.AcquireAsync(connectionString, MigrationLockKey, () => LogWaitingForMigrationLock(logger), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<string>> ApplyAsync(CredentialBotDbContext context, CancellationToken cancellationToken)
    {
        await context.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        if (pending.Count > 0)
        {
            await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return pending;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Another instance is migrating the store; waiting for it to finish")]
    private static partial void LogWaitingForMigrationLock(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the PostgreSQL database {Database}")]
    private static partial void LogCreatedDatabase(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} store migrations: {Migrations}")]
    private static partial void LogApplied(ILogger logger, int count, IReadOnlyList<string> migrations);
}
