using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using CredentialBot.Hosting;
using CredentialBot.Scanning;
using CredentialBot.Store;
using CredentialBot.Store.Services;

namespace CredentialBot.Bench;

/// <summary>
/// <c>dotnet run -c Release --project src/CredentialBot.Bench -- scan [--apps 100000] [--service-principals 100000]</c>,
/// <c>scan-limits</c> (see <see cref="LimitedScan"/>), or <c>fanout [--digests 10000]</c> (see <see cref="FanOut"/>).
/// <para>
/// Benchmark (a) of docs/benchmarks.md: a full scan of a generated tenant served by the Simulator in its own
/// process (so its memory is not counted), against the floor — the same Graph pages fetched and parsed with
/// nothing else done. Prints wall time, Graph requests and peak working set.
/// </para>
/// </summary>
internal static class Program
{
    private const string OwnersExpand = "owners($select=id,displayName,userPrincipalName,accountEnabled)";

    public static async Task<int> Main(string[] args)
    {
        if (args is ["fanout", ..])
        {
            return await FanOut.RunAsync(IntArg(args, "--digests", 10_000));
        }

        if (args is ["scan-limits", ..])
        {
            var limitedApps = IntArg(args, "--apps", 100_000);
            return await LimitedScan.RunAsync(limitedApps, IntArg(args, "--service-principals", limitedApps), IntArg(args, "--latency-ms", 300));
        }

        if (args is not ["scan", ..])
        {
            Console.WriteLine("usage: scan [--apps N] [--service-principals M] | scan-limits [--apps N] [--service-principals M] [--latency-ms 300] | fanout [--digests N]");
            return 2;
        }

        var apps = IntArg(args, "--apps", 100_000);
        var servicePrincipals = IntArg(args, "--service-principals", apps);
        Console.WriteLine($"Generating {apps:N0} applications and {servicePrincipals:N0} service principals in a Simulator process…");
        await using var simulator = await SimulatorProcess.StartAsync(apps, servicePrincipals);
        Console.WriteLine($"Simulator ready at {simulator.BaseAddress} after {simulator.StartupTime.TotalSeconds:F1} s");

        var floor = await MeasureAsync("floor: fetch + parse only", simulator, () => FloorAsync(simulator.BaseAddress));
        var sdk = await MeasureAsync("directory read, no store", simulator, () => DirectoryOnlyAsync(simulator.BaseAddress));
        var (scan, delta) = await ScansAsync(simulator);

        Console.WriteLine();
        Console.WriteLine($"{"run",-28} {"objects",10} {"requests",9} {"graph ops",10} {"seconds",8}");
        foreach (var run in new[] { floor, sdk, scan, delta })
        {
            Console.WriteLine($"{run.Name,-28} {run.Objects,10:N0} {run.Requests,9:N0} {run.Operations,10:N0} {run.Elapsed.TotalSeconds,8:F1}");
        }

        Console.WriteLine();
        Console.WriteLine($"scan / floor: {scan.Elapsed / floor.Elapsed:F2}x (target <= 1.5x)");
        Console.WriteLine($"delta rescan / full scan: {100.0 * delta.Requests / scan.Requests:F1} % of HTTP requests, {100.0 * delta.Operations / scan.Operations:F1} % of Graph operations, each request inside a $batch counted (target <= 10 %)");
        Console.WriteLine($"peak working set of this process (floor and scan): {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB (target <= 400 MB)");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        return 0;
    }

    private static async Task<Run> MeasureAsync(string name, SimulatorProcess simulator, Func<Task<int>> body)
    {
        GC.Collect();
        var before = await simulator.StatsAsync();
        var watch = Stopwatch.StartNew();
        var objects = await body();
        watch.Stop();
        var after = await simulator.StatsAsync();
        var run = new Run(name, objects, after["requests"] - before["requests"], after["operations"] - before["operations"], watch.Elapsed);
        Console.WriteLine($"{name}: {objects:N0} objects, {run.Requests:N0} requests ({run.Operations:N0} Graph operations), {watch.Elapsed.TotalSeconds:F1} s");
        return run;
    }

    /// <summary>
    /// The same requests the scan makes (listing pages of 999 with no <c>$select</c>; per page, <c>$batch</c> requests of
    /// <c>id in (…)</c> filters for 15 Apps' owners each; and, for Apps where <c>$expand</c> stopped at 20 owners, one
    /// <c>$batch</c> of their owner lists), one after another, parsed and dropped.
    /// </summary>
    private static async Task<int> FloorAsync(Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        var objects = 0;
        foreach (var collection in new[] { "applications", "servicePrincipals" })
        {
            string? url = $"{collection}?$top=999";
            while (url is not null)
            {
                using var page = await GetJsonAsync(http, url);
                var ids = page.RootElement.GetProperty("value").EnumerateArray().Select(item => item.GetProperty("id").GetString()!).ToList();
                objects += ids.Count;
                var capped = new List<string>();
                foreach (var batch in ids.Chunk(15).Select(chunk => $"/{collection}?$filter={Uri.EscapeDataString($"id in ({string.Join(',', chunk.Select(id => $"'{id}'"))})")}&$select=id&$expand={Uri.EscapeDataString(OwnersExpand)}").Chunk(20))
                {
                    using var answers = await BatchAsync(http, batch);
                    foreach (var answer in answers.RootElement.GetProperty("responses").EnumerateArray())
                    {
                        capped.AddRange(answer.GetProperty("body").GetProperty("value").EnumerateArray()
                            .Where(item => item.GetProperty("owners").GetArrayLength() == 20)
                            .Select(item => item.GetProperty("id").GetString()!));
                    }
                }

                foreach (var chunk in capped.Chunk(20))
                {
                    using var _ = await BatchAsync(http, [.. chunk.Select(id => $"/{collection}/{id}/owners?$select=id,displayName,userPrincipalName,accountEnabled&$top=100")]);
                }

                url = page.RootElement.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
            }
        }

        return objects;
    }

    private static async Task<JsonDocument> BatchAsync(HttpClient http, string[] urls)
    {
        var requests = urls.Select((url, i) => new { id = i.ToString(CultureInfo.InvariantCulture), method = "GET", url });
        using var response = await http.PostAsJsonAsync(new Uri("$batch", UriKind.Relative), new { requests });
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        return await JsonDocument.ParseAsync(stream);
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        return await JsonDocument.ParseAsync(stream);
    }

    /// <summary>Only the directory adapter (HTTP through the Graph SDK, JSON into Domain types): the read side of a scan.</summary>
    private static async Task<int> DirectoryOnlyAsync(Uri baseAddress)
    {
        var services = new ServiceCollection().AddLogging();
        CredentialBot.Directory.DirectoryServiceCollectionExtensions.AddTenantDirectory(services, Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(new Microsoft.Extensions.Configuration.ConfigurationBuilder(), [new("Graph:KeyCredentialRequests", "0"), new("Graph:ScanResourceUnitsPerSecond", "0")]).Build(), _ => baseAddress);
        await using var provider = services.BuildServiceProvider();
        var directory = provider.GetRequiredService<CredentialBot.Domain.ITenantDirectory>();
        var count = 0;
        await foreach (var _ in directory.GetApplicationsAsync())
        {
            count++;
        }

        await foreach (var _ in directory.GetServicePrincipalsAsync())
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// The product's scan — directory, snapshot, policies, outbox — into a fresh SQLite file; then benchmark (c):
    /// 1 % of the objects change in the Simulator and the same store is scanned again, by delta.
    /// </summary>
    private static async Task<(Run Full, Run Delta)> ScansAsync(SimulatorProcess simulator)
    {
        // This Simulator enforces no Graph limits, so the scan must not pace itself to them either.
        await using var host = await BenchHost.StartAsync(simulator.BaseAddress, "--Graph:KeyCredentialRequests=0", "--Graph:ScanResourceUnitsPerSecond=0");

        async Task<int> ScanOnceAsync()
        {
            await using var scope = host.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<ScanJob>().RunOnceAsync(CancellationToken.None);
            Console.WriteLine($"  {result.ApplicationsMode}/{result.ServicePrincipalsMode} scan planned {result.NoticesPlanned:N0} new notices");
            return result.Applications + result.ServicePrincipals;
        }

        var full = await MeasureAsync("CredentialBot scan", simulator, ScanOnceAsync);
        var touched = await simulator.TouchAsync(every: 100);
        Console.WriteLine($"  changed {touched:N0} objects (1 %) in the Simulator");
        var delta = await MeasureAsync("CredentialBot delta rescan", simulator, ScanOnceAsync);
        return (full, delta);
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    private sealed record Run(string Name, int Objects, long Requests, long Operations, TimeSpan Elapsed);
}

/// <summary>The Simulator as a child process on a free loopback port.</summary>
internal sealed class SimulatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new();

    private SimulatorProcess(Process process, Uri baseAddress, TimeSpan startupTime)
    {
        _process = process;
        BaseAddress = baseAddress;
        StartupTime = startupTime;
    }

    public Uri BaseAddress { get; }

    public TimeSpan StartupTime { get; }

    public static async Task<SimulatorProcess> StartAsync(int apps, int servicePrincipals, params string[] options)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CredentialBot.Simulator.dll");
        var watch = Stopwatch.StartNew();
        var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "--port", "0", "--apps", apps.ToString(CultureInfo.InvariantCulture), "--service-principals", servicePrincipals.ToString(CultureInfo.InvariantCulture), .. options])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Could not start the Simulator.");
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            var at = line.IndexOf(" at http", StringComparison.Ordinal);
            if (at >= 0)
            {
                return new SimulatorProcess(process, new Uri(line[(at + 4)..].Trim()), watch.Elapsed);
            }
        }

        throw new InvalidOperationException("The Simulator exited before it was ready.");
    }

    public async Task<int> TouchAsync(int every)
    {
        using var response = await _http.PostAsync(new Uri(BaseAddress, $"/_simulator/touch?every={every}"), null);
        var touched = await response.Content.ReadFromJsonAsync<Dictionary<string, int>>();
        return touched!["touched"];
    }

    public async Task<Dictionary<string, long>> StatsAsync() =>
        (await _http.GetFromJsonAsync<Dictionary<string, long>>(new Uri(BaseAddress, "/_simulator/stats")))!;

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
