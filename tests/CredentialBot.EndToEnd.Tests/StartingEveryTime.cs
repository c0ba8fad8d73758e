using System.Net;
using System.Net.Sockets;
using CredentialBot.Simulator;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The README's run command starts every time (issue 12.1): the real host, as its own process, started again and again
/// on one store — whose delta links point at the previous run's tenant address — and started while the tenant cannot be
/// reached. A failing scan never stops the host: it is logged, retried with backoff, and <c>/readyz</c> says what is wrong.
/// </summary>
public sealed class StartingEveryTime : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cb-restart-" + Guid.NewGuid().ToString("N"));

    public StartingEveryTime() => System.IO.Directory.CreateDirectory(_directory);

    private string Store => $"Store:ConnectionString=Data Source={Path.Combine(_directory, "credentialbot.db")}";

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task LocalMode_StartedThreeTimesOnOneStore_IsReadyEveryTime()
    {
        for (var run = 1; run <= 3; run++)
        {
            await using var host = HostProcess.Start(Store);
            var ready = await host.WaitReadyAsync();

            // Each run's embedded Simulator listens on a new port: the stored links are dropped and the tenant listed again.
            Assert.Contains("\"scan\":{\"status\":\"Healthy\"", ready, StringComparison.Ordinal);
            Assert.Equal(run == 1 ? 0 : 2, host.Count("issued by another tenant address"));
            await host.StopCleanlyAsync();
        }
    }

    [Fact]
    public async Task ATenantThatLostItsData_AtTheSameAddress_IsReadAgain_AndTheHostIsReady()
    {
        var port = FreePort();
        await using (var before = await SimulatorServer.StartAsync(DemoTenant.Create(TimeProvider.System), port: port))
        {
            await using var host = HostProcess.Start(Store, $"Graph:BaseUrl={before.BaseAddress}", "Graph:UseSimulator=true");
            await host.WaitReadyAsync();
            await host.StopCleanlyAsync();
        }

        // The Simulator's data is gone: a new, different tenant answers at the same address, behind the stored links.
        await using var after = await SimulatorServer.StartAsync(GeneratedTenant.Create(40, 40, seed: 7, TimeProvider.System), port: port);
        await using (var host = HostProcess.Start(Store, $"Graph:BaseUrl={after.BaseAddress}", "Graph:UseSimulator=true"))
        {
            var ready = await host.WaitReadyAsync();
            Assert.Contains("\"scan\":{\"status\":\"Healthy\"", ready, StringComparison.Ordinal);
            Assert.Equal(2, host.Count("delta link expired; resynchronizing"));
            await host.StopCleanlyAsync();
        }
    }

    [Fact]
    public async Task AGraphOutageAtStart_DoesNotStopTheHost_ReadinessSaysWhy_AndTheScanRetriesUntilItWorks()
    {
        var port = FreePort();
        await using var host = HostProcess.Start(Store, $"Graph:BaseUrl=http://127.0.0.1:{port}/v1.0/", "Graph:UseSimulator=true");

        // Nothing answers at the tenant address: the host keeps running and says so.
        string? body = null;
        await TestKit.Waiting.Until.TrueAsync(
            async () =>
            {
                Assert.False(host.HasExited, string.Join('\n', host.Output.TakeLast(30)));
                try
                {
                    using var answer = await host.Http.GetAsync(new Uri("readyz", UriKind.Relative));
                    body = await answer.Content.ReadAsStringAsync();
                    return answer.StatusCode == HttpStatusCode.ServiceUnavailable && body.Contains("scan(s) in a row failed", StringComparison.Ordinal);
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(90),
            "readiness reporting the failing scan");
        Assert.Contains("\"directory\":{\"status\":\"Unhealthy\"", body, StringComparison.Ordinal);

        // The tenant comes back: the next retry scans and the host is ready, without a restart.
        await using var simulator = await SimulatorServer.StartAsync(DemoTenant.Create(TimeProvider.System), port: port);
        await TestKit.Waiting.Until.TrueAsync(
            async () => (await host.WaitReadyAsync()).Contains("\"scan\":{\"status\":\"Healthy\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(90),
            "a successful scan after the outage");
        Assert.False(host.HasExited);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
