using CredentialBot.Simulator;
using CredentialBot.TestKit.Postgres;
using CredentialBot.TestKit.Waiting;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Two real hosts on one PostgreSQL database, started together on an empty database: both start, exactly one scans,
/// and when that one is killed (SIGKILL) in the middle of its scan the other takes the scanner over within two minutes.
/// </summary>
public sealed class SeveralHostsScanning : IAsyncLifetime
{
    /// <summary>The audit chain's key, the same for every instance (as a deployment keeps it in Key Vault).</summary>
    private static readonly string AuditKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private SimulatorServer _simulator = null!;
    private string _database = string.Empty;

    public async Task InitializeAsync()
    {
        _database = await (await PostgresCluster.Shared).CreateDatabaseAsync("hosts");
        // Slow enough that the leader is still scanning when it is killed.
        _simulator = await SimulatorServer.StartAsync(GeneratedTenant.Create(1500, 1500, seed: 12, TimeProvider.System), new SimulatorOptions { Latency = TimeSpan.FromMilliseconds(150) });
    }

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    public async Task TwoHostsStartTogether_OneScans_AndWhenItIsKilledMidScanTheOtherTakesOver()
    {
        string[] settings = ["Store:Provider=Postgres", $"Store:ConnectionString={_database}", $"Graph:BaseUrl={_simulator.BaseAddress}", "Graph:UseSimulator=true", $"Audit:ChainKey={AuditKey}", $"Audit:CheckpointPath={Path.Combine(Path.GetTempPath(), $"cb-checkpoints-{Guid.NewGuid():N}")}", "Notifications:DispatcherEnabled=false"];
        await using var first = HostProcess.Start(settings);
        await using var second = HostProcess.Start(settings);

        // Both migrate and seed the empty database at once; one of them gets the scanner.
        await Until.TrueAsync(() => first.Count("Scan started") + second.Count("Scan started") > 0 || first.HasExited || second.HasExited, TimeSpan.FromSeconds(120), "a scan to start");
        Assert.False(first.HasExited, string.Join('\n', first.Output.TakeLast(30)));
        Assert.False(second.HasExited, string.Join('\n', second.Output.TakeLast(30)));
        var (leader, follower) = first.Count("Scan started") > 0 ? (first, second) : (second, first);
        await follower.WaitReadyAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(0, follower.Count("Scan started"));
        Assert.Equal(0, leader.Count("Scan finished"));

        await leader.KillAsync();
        var killedAt = System.Diagnostics.Stopwatch.StartNew();

        // The dead leader's lease lapses within a minute of its last renewal; the follower is waiting for the scan and
        // takes it over.
        await Until.TrueAsync(() => follower.Count("Scan started") == 1, TimeSpan.FromSeconds(150), "the follower to start scanning");
        Assert.True(killedAt.Elapsed < TimeSpan.FromMinutes(2), $"Takeover took {killedAt.Elapsed}.");
        await Until.TrueAsync(() => follower.Count("Scan finished") == 1, TimeSpan.FromSeconds(180), "the follower to finish its scan");
        Assert.Equal(1, follower.Count("Scan started"));
        Assert.Contains("\"scan\":{\"status\":\"Healthy\"", await follower.WaitReadyAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(follower.Output, line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal));
    }
}
