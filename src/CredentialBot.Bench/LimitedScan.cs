using System.Diagnostics;
using CredentialBot.Scanning;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.Bench;

/// <summary>
/// <c>scan-limits [--apps 100000] [--service-principals N] [--latency-ms 300]</c>: benchmark (b) of docs/benchmarks.md.
/// The product's full scan against a Simulator that enforces Graph's published limits (<c>--graph-limits</c>: 8,000
/// resource units per 10 s, 150 keyCredentials requests per minute, <c>$expand</c> caps) and answers every request
/// after a page latency. The floor is computed from those limits for the requests the scan made.
/// </summary>
internal static class LimitedScan
{
    // Graph's published limits, as the Simulator enforces them (GraphLimits defaults).
    private const double ResourceUnitsPerSecond = 800;
    private const double ResourceUnitBurst = 8_000;
    private const int KeyCredentialRequestsPerMinute = 150;

    public static async Task<int> RunAsync(int apps, int servicePrincipals, int latencyMs)
    {
        Console.WriteLine($"Generating {apps:N0} applications and {servicePrincipals:N0} service principals in a Simulator process with Graph's limits and {latencyMs} ms per response…");
        await using var simulator = await SimulatorProcess.StartAsync(apps, servicePrincipals, "--graph-limits", "--latency-ms", latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using var host = await BenchHost.StartAsync(simulator.BaseAddress);

        var before = await simulator.StatsAsync();
        var watch = Stopwatch.StartNew();
        var progress = new Progress<ScanProgress>(p =>
        {
            if (p.AppsStored % 10_000 == 0)
            {
                Console.WriteLine($"  {watch.Elapsed.TotalSeconds,6:F0} s  {p.Collection}: {p.AppsStored:N0} stored");
            }
        });
        ScanResult result;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<ScanJob>().RunOnceAsync(CancellationToken.None, progress);
        }

        watch.Stop();
        var after = await simulator.StatsAsync();
        long Delta(string key) => after[key] - before[key];
        var requests = Delta("requests");
        var operations = Delta("operations");
        var throttled = Delta("throttled");
        var keyRequests = Delta("keyCredentialRequests");
        var resourceUnits = Delta("resourceUnits");

        // The floor: the best any plan making these requests could do under the limits. Each collection is one chain of
        // nextLink pages (a page's link comes with the page), the two chains may run side by side, every page takes the
        // latency, and the keyCredentials cap spaces those pages; the resource-unit budget bounds the total.
        var latency = TimeSpan.FromMilliseconds(latencyMs);
        var chainsBound = PagingFloor(keyRequests, chains: servicePrincipals > 0 && apps > 0 ? 2 : 1, latency);
        var resourceBound = TimeSpan.FromSeconds(Math.Max(0, resourceUnits - ResourceUnitBurst) / ResourceUnitsPerSecond);
        var floor = chainsBound > resourceBound ? chainsBound : resourceBound;

        Console.WriteLine();
        Console.WriteLine($"scan: {result.Applications + result.ServicePrincipals:N0} objects, {result.NoticesPlanned:N0} notices planned, {watch.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"HTTP requests {requests:N0}, Graph operations {operations:N0}, keyCredentials requests {keyRequests:N0}, resource units {resourceUnits:N0}");
        Console.WriteLine($"throttled (429): {throttled:N0} = {100.0 * throttled / Math.Max(1, operations):F2} % of operations (target <= 1 %)");
        Console.WriteLine($"floor from the limits: {floor.TotalSeconds:F1} s = max(paging {chainsBound.TotalSeconds:F1} s: {keyRequests:N0} keyCredentials pages in two nextLink chains at {latencyMs} ms each, {KeyCredentialRequestsPerMinute} per minute; resource units {resourceBound.TotalSeconds:F1} s: {resourceUnits:N0} RU at {ResourceUnitsPerSecond}/s after a {ResourceUnitBurst:N0} burst)");
        Console.WriteLine($"scan / floor: {watch.Elapsed / floor:F2}x (target <= 1.2x)");
        Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB; machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        return 0;
    }

    /// <summary>
    /// When the last of <paramref name="pages"/> pages (each selecting keyCredentials) arrives, if they are split over
    /// <paramref name="chains"/> chains that each wait for one page before asking for the next, and no page starts
    /// within a minute of the one 150 places before it.
    /// </summary>
    internal static TimeSpan PagingFloor(long pages, int chains, TimeSpan latency)
    {
        var starts = new double[pages];
        var ready = new double[chains];
        for (var k = 0; k < pages; k++)
        {
            var chain = Array.IndexOf(ready, ready.Min());
            var start = ready[chain];
            if (k >= KeyCredentialRequestsPerMinute)
            {
                start = Math.Max(start, starts[k - KeyCredentialRequestsPerMinute] + 60);
            }

            starts[k] = start;
            ready[chain] = start + latency.TotalSeconds;
        }

        return TimeSpan.FromSeconds(ready.Max());
    }
}
