using System.Diagnostics;
using CredentialBot.Domain;
using CredentialBot.Scanning;
using CredentialBot.Simulator;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.Bench;

/// <summary>
/// <c>scan-limits [--apps 100000] [--service-principals N] [--latency-ms 300]</c>: benchmark (b) of docs/benchmarks.md.
/// The product's full scan against a Simulator that enforces Graph's published limits (<c>--graph-limits</c>: 8,000
/// resource units per 10 s, 150 keyCredentials requests per minute, the <c>$expand</c> and <c>$top</c> caps) and
/// answers every request after a page latency. While it runs, a person's requests (reading an App, adding a secret)
/// are timed every few seconds. The floor is computed from the limits and the tenant's size, not from the requests
/// the scan happened to make.
/// </summary>
internal static class LimitedScan
{
    // Graph's published limits, as the Simulator enforces them (GraphLimits defaults).
    private const double ResourceUnitsPerSecond = 800;
    private const double ResourceUnitBurst = 8_000;

    /// <summary>"The default and maximum page sizes are 100 and 999 application objects respectively."</summary>
    private const int LargestPage = 999;

    /// <summary>"$expand on directory objects: returns a maximum of 100 objects" per page.</summary>
    private const int LargestExpandedPage = 100;

    private static readonly TimeSpan ProbeEvery = TimeSpan.FromSeconds(3);

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
        using var stopProbing = new CancellationTokenSource();
        var probes = ProbeAsync(host.Services, stopProbing.Token);
        ScanResult result;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<ScanJob>().RunOnceAsync(CancellationToken.None, progress);
        }

        watch.Stop();
        await stopProbing.CancelAsync();
        var (reads, rotations) = await probes;
        var after = await simulator.StatsAsync();
        long Delta(string key) => after[key] - before[key];
        var requests = Delta("requests");
        var operations = Delta("operations");
        var throttled = Delta("throttled");
        var keyRequests = Delta("keyCredentialRequests");
        var resourceUnits = Delta("resourceUnits");

        // The floor: what any plan could do under Graph's limits. Every object must be listed; a page holds at most 999
        // (100 with $expand), and a collection's pages form one chain, each page's link arriving with the page. Owners of
        // the last page's objects need at least one more round trip unless they came with it ($expand, 100 a page). The
        // cheapest plan in resource units ($expand: 3 units per 100 applications, 2 per 100 service principals) stays
        // inside the 8,000-unit burst at this size, so resource units do not bound it; keyCredentials need no capped
        // request at all (the default projection carries them), so the 150-per-minute cap does not either.
        var latency = TimeSpan.FromMilliseconds(latencyMs);
        var chains = new[] { apps, servicePrincipals }.Where(n => n > 0).Select(n => Math.Min(Pages(n, LargestPage) + 1, Pages(n, LargestExpandedPage))).ToArray();
        var sideBySide = latency * chains.Max();
        var oneAfterTheOther = latency * chains.Sum();
        var cheapestUnits = (Pages(apps, LargestExpandedPage) * 3) + (Pages(servicePrincipals, LargestExpandedPage) * 2);
        var unitsBound = TimeSpan.FromSeconds(Math.Max(0, cheapestUnits - ResourceUnitBurst) / ResourceUnitsPerSecond);
        var floor = sideBySide > unitsBound ? sideBySide : unitsBound;

        Console.WriteLine();
        Console.WriteLine($"scan: {result.Applications + result.ServicePrincipals:N0} objects, {result.NoticesPlanned:N0} notices planned, {watch.Elapsed.TotalSeconds:F1} s (target <= 400 s)");
        Console.WriteLine($"HTTP requests {requests:N0}, Graph operations {operations:N0}, keyCredentials requests {keyRequests:N0}, resource units {resourceUnits:N0}");
        Console.WriteLine($"throttled (429): {throttled:N0} = {100.0 * throttled / Math.Max(1, operations):F2} % of operations (target 0 %)");
        Console.WriteLine($"floor from the limits: {floor.TotalSeconds:F1} s with both collections side by side ({oneAfterTheOther.TotalSeconds:F1} s one after the other, as the scanner reads them): chains of {string.Join(" and ", chains)} round trips at {latencyMs} ms; resource units bound {unitsBound.TotalSeconds:F1} s");
        Console.WriteLine($"scan / floor: {watch.Elapsed / floor:F2}x side by side, {watch.Elapsed / oneAfterTheOther:F2}x one after the other");
        Console.WriteLine($"the scan's resource units: {resourceUnits:N0} = {resourceUnits / watch.Elapsed.TotalSeconds:F0} per second on average, of Graph's {ResourceUnitsPerSecond:N0}");
        Console.WriteLine($"while scanning, reading an App: {Summary(reads)}; adding a secret: {Summary(rotations)}");
        Console.WriteLine($"peak working set of one full scan in a process of its own: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB (target <= 400 MB); machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        return 0;
    }

    private static int Pages(int objects, int perPage) => (objects + perPage - 1) / perPage;

    /// <summary>
    /// A person's requests during the scan, as the rotate path makes them: the App read for the dialog, then addPassword,
    /// whose answer updates the snapshot without a second read. Each goes through the same Graph client, pipeline and
    /// pacing as the scan.
    /// </summary>
    private static async Task<(List<TimeSpan> Reads, List<TimeSpan> Rotations)> ProbeAsync(IServiceProvider services, CancellationToken stop)
    {
        var reads = new List<TimeSpan>();
        var rotations = new List<TimeSpan>();
        var administration = services.GetRequiredService<ITenantAdministration>();
        var time = services.GetRequiredService<TimeProvider>();
        var random = new Random(11);
        try
        {
            while (true)
            {
                await Task.Delay(ProbeEvery, stop);
                var objectId = GeneratedTenant.ObjectId(SimObjectKind.Application, random.Next(0, 1_000));
                var watch = Stopwatch.StartNew();
                var app = await administration.GetAppAsync(AppKind.Application, objectId, stop);
                reads.Add(watch.Elapsed);
                if (app is null)
                {
                    continue;
                }

                watch.Restart();
                var secret = await administration.AddSecretAsync(AppKind.Application, objectId, "bench probe", time.GetUtcNow().AddDays(30), stop);
                _ = secret.AddedTo(app);
                rotations.Add(watch.Elapsed);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return (reads, rotations);
        }
    }

    private static string Summary(List<TimeSpan> samples)
    {
        if (samples.Count == 0)
        {
            return "no samples";
        }

        var sorted = samples.Order().ToList();
        return $"{samples.Count} samples, median {sorted[sorted.Count / 2].TotalMilliseconds:F0} ms, max {sorted[^1].TotalMilliseconds:F0} ms";
    }
}
