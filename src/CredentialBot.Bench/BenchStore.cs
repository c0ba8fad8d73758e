using Npgsql;

namespace CredentialBot.Bench;

/// <summary>
/// Where a benchmark's store lives: a SQLite file in a scratch folder (the default), or a fresh database on a
/// PostgreSQL server named by <c>--postgres "&lt;connection string&gt;"</c>. Each <see cref="CreateAsync"/> gives an
/// empty store, and so does <see cref="ResetAsync"/>; disposing it removes the file or drops the database.
/// </summary>
internal sealed class BenchStore : IAsyncDisposable
{
    private readonly string? _postgresServer;
    private readonly string? _folder;
    private readonly string? _database;

    private BenchStore(string provider, string connectionString, string? postgresServer, string? folder, string? database)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgresServer = postgresServer;
        _folder = folder;
        _database = database;
    }

    /// <summary>"Sqlite" or "Postgres", as <c>Store:Provider</c> takes it.</summary>
    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The host settings that point the product at this store.</summary>
    public string[] Settings => [$"--Store:Provider={Provider}", $"--Store:ConnectionString={ConnectionString}"];

    /// <summary>The <c>--postgres</c> option's value, or null for SQLite.</summary>
    public static string? PostgresOption(string[] args)
    {
        var index = Array.IndexOf(args, "--postgres");
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>An empty store: a new SQLite file, or a new database on the PostgreSQL server <paramref name="postgresServer"/>.</summary>
    public static async Task<BenchStore> CreateAsync(string? postgresServer)
    {
        if (postgresServer is null)
        {
            var folder = Path.Combine(Path.GetTempPath(), "cb-bench-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(folder);
            return new BenchStore("Sqlite", $"Data Source={Path.Combine(folder, "bench.db")}", null, folder, null);
        }

        var database = "cb_bench_" + Guid.NewGuid().ToString("N");
        await OnServerAsync(postgresServer, $"CREATE DATABASE \"{database}\"");

        var builder = new NpgsqlConnectionStringBuilder(postgresServer) { Database = database };
        return new BenchStore("Postgres", builder.ConnectionString, postgresServer, null, database);
    }

    /// <summary>
    /// Makes this store new again, under the same connection string: the SQLite file and its journal are deleted, or the
    /// database dropped and created. The caller migrates it, and nothing may use it meanwhile; connections pooled for the
    /// old store are closed.
    /// </summary>
    public async Task ResetAsync()
    {
        if (_folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in System.IO.Directory.EnumerateFiles(_folder))
            {
                File.Delete(file);
            }

            return;
        }

        NpgsqlConnection.ClearAllPools();
        await OnServerAsync(_postgresServer!, $"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", $"CREATE DATABASE \"{_database}\"");
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            System.IO.Directory.Delete(_folder, recursive: true);
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await OnServerAsync(_postgresServer!, $"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
    }

    /// <summary>Runs <paramref name="statements"/>, in order, on the server's maintenance database.</summary>
    private static async Task OnServerAsync(string postgresServer, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(postgresServer);
        await connection.OpenAsync();
        foreach (var statement in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync();
        }
    }
}
