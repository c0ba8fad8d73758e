using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CredentialBot.TestKit.Postgres;

/// <summary>
/// A real PostgreSQL server for tests: a private cluster (initdb + pg_ctl from Debian's <c>postgresql</c> package)
/// in a temporary folder on a free loopback port, owned by this test process. Tests that need a server restarted
/// or stopped underneath them get one of their own with <see cref="StartAsync"/>; the rest share
/// <see cref="Shared"/> and take a fresh database each with <see cref="CreateDatabaseAsync"/>.
/// Running as root (CI), the server runs as the <c>postgres</c> user, which PostgreSQL requires.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    /// <summary>Where the binaries are, when they are not in /usr/lib/postgresql/*/bin.</summary>
    public const string BinDirectoryVariable = "CREDENTIALBOT_PG_BIN";

    private static readonly Lazy<Task<PostgresCluster>> SharedCluster = new(() => StartAsync());

    private readonly string _bin;
    private readonly string _root;
    private readonly bool _asPostgresUser;

    private PostgresCluster(string bin, string root, int port, bool asPostgresUser)
    {
        _bin = bin;
        _root = root;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>One cluster per test process, started on first use and stopped when the process exits.</summary>
    public static Task<PostgresCluster> Shared => SharedCluster.Value;

    public int Port { get; }

    /// <summary>The folder holding the server's data and log, removed with the server.</summary>
    public string Folder => _root;

    /// <summary>The server's maintenance database, as the superuser (trust authentication on loopback only).</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    private string DataDirectory => Path.Combine(_root, "data");

    public string ConnectionStringFor(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=15;Command Timeout=60");

    /// <summary>
    /// Initialises and starts a new private cluster, which is stopped and removed once the process
    /// <paramref name="ownerProcessId"/> (by default this one) has ended, however it ended.
    /// </summary>
    public static async Task<PostgresCluster> StartAsync(int? ownerProcessId = null)
    {
        var bin = FindBinaries();
        var asPostgresUser = Environment.UserName == "root";
        var root = Directory.CreateTempSubdirectory("cb-pg-").FullName;
        var cluster = new PostgresCluster(bin, root, FreePort(), asPostgresUser);
        if (asPostgresUser)
        {
            await RunAsync("chown", ["postgres:postgres", root]).ConfigureAwait(false);
        }

        await cluster.PgAsync("initdb", ["-D", cluster.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C"]).ConfigureAwait(false);
        // Tests need correctness, not durability across power loss; nothing listens beyond loopback.
        await File.AppendAllTextAsync(Path.Combine(cluster.DataDirectory, "postgresql.conf"), string.Join('\n',
            "listen_addresses = '127.0.0.1'",
            string.Create(CultureInfo.InvariantCulture, $"port = {cluster.Port}"),
            $"unix_socket_directories = '{root}'",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "max_connections = 300",
            "") + "\n").ConfigureAwait(false);
        await cluster.StartServerAsync().ConfigureAwait(false);
        await cluster.WatchOwnerAsync(ownerProcessId ?? Environment.ProcessId).ConfigureAwait(false);
        return cluster;
    }

    /// <summary>
    /// A new, empty database on this server; its connection string. The server's databases collate as plain C unless
    /// <paramref name="collation"/> names another (as most servers' do), for tests whose subject depends on it.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "cb", string? collation = null)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)];
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = collation is null
            ? $"CREATE DATABASE \"{name}\""
            : $"CREATE DATABASE \"{name}\" TEMPLATE template0 LC_COLLATE '{collation}' LC_CTYPE '{collation}'";
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return ConnectionStringFor(name);
    }

    /// <summary>Stops the server (fast shutdown: open connections are cut), leaving its data.</summary>
    public Task StopAsync() => StopServerAsync(immediate: false);

    /// <summary>Stops and starts the server again on the same port and data: clients see their connections drop.</summary>
    public async Task RestartAsync()
    {
        await StopServerAsync(immediate: false).ConfigureAwait(false);
        await StartServerAsync().ConfigureAwait(false);
    }

    /// <summary>Starts a stopped server again.</summary>
    public Task StartServerAsync() =>
        PgAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "start"]);

    public async ValueTask DisposeAsync()
    {
        await StopServerAsync(immediate: true).ConfigureAwait(false);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying server process; the temp folder is cleaned by the OS later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// The test runner ends its test host as soon as the last result is in, often by killing it, so neither a
    /// dispose nor an exit handler can be relied on to stop the server. A shell in a session of its own (so neither a
    /// kill of the host's process tree or group nor Ctrl+C reaches it) waits for the owner to be gone, then stops the
    /// server and removes its folder.
    /// </summary>
    private Task WatchOwnerAsync(int ownerProcessId)
    {
        var pgCtl = Path.Combine(_bin, "pg_ctl");
        var stop = _asPostgresUser ? $"runuser -u postgres -- '{pgCtl}'" : $"'{pgCtl}'";
        var watch = string.Create(CultureInfo.InvariantCulture, $"while kill -0 {ownerProcessId} 2>/dev/null; do sleep 1; done; ")
            + $"{stop} -D '{DataDirectory}' -w -m immediate stop; rm -rf '{_root}'";
        return RunAsync("sh", ["-c", $"setsid -f sh -c \"{watch}\" </dev/null >/dev/null 2>&1"]);
    }

    private async Task StopServerAsync(bool immediate)
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await PgAsync("pg_ctl", ["-D", DataDirectory, "-w", "-m", immediate ? "immediate" : "fast", "stop"], throwOnFailure: false).ConfigureAwait(false);
        }
    }

    private Task PgAsync(string tool, IReadOnlyList<string> arguments, bool throwOnFailure = true)
    {
        var path = Path.Combine(_bin, tool);
        return _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], throwOnFailure)
            : RunAsync(path, arguments, throwOnFailure);
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (throwOnFailure && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }
    }

    private static string FindBinaries()
    {
        if (Environment.GetEnvironmentVariable(BinDirectoryVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Where(d => File.Exists(Path.Combine(d, "bin", "initdb"))).ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions.OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).First(), "bin")
            : throw new InvalidOperationException(
                $"PostgreSQL is not installed: apt-get install -y postgresql (./test.sh does it as root), or set {BinDirectoryVariable} to the folder holding initdb and pg_ctl.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
