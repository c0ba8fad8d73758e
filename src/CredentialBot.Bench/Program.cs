using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

namespace CredentialBot.Bench;

/// <summary>
/// The benchmarks of docs/benchmarks.md: <c>dotnet run -c Release --project src/CredentialBot.Bench -- &lt;verb&gt;</c> with
/// <c>scan</c> (benchmarks (a) and (c), see <see cref="FullScan"/>), <c>search</c> (see <see cref="SearchBench"/>),
/// <c>scan-limits</c> (see <see cref="LimitedScan"/>), <c>fanout [--digests 10000] [--instances 2 --postgres "…"] [--cold]</c> (see <see cref="FanOut"/>),
/// <c>p5</c> (see <see cref="InteractiveBench"/>) or <c>soak</c> (see <see cref="SoakBench"/>).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Every verb runs with its defaults when given nothing, and a default run takes minutes: asking for help must not start one.
        if (args.Contains("--help") || args.Contains("-h"))
        {
            return Usage(0);
        }

        if (args is ["fanout", ..])
        {
            return await FanOut.RunAsync(IntArg(args, "--digests", 10_000), IntArg(args, "--instances", 1), BenchStore.PostgresOption(args), coldHosts: args.Contains("--cold"));
        }

        if (args is ["scan-limits", ..])
        {
            var limitedApps = IntArg(args, "--apps", 100_000);
            return await LimitedScan.RunAsync(limitedApps, IntArg(args, "--service-principals", limitedApps), IntArg(args, "--latency-ms", 300));
        }

        if (args is ["scan", ..])
        {
            return await FullScan.RunAsync(args);
        }

        if (args is ["p5", ..])
        {
            return await InteractiveBench.RunAsync(args);
        }

        if (args is ["soak", ..])
        {
            return await SoakBench.RunAsync(args);
        }

        if (args is ["search", ..])
        {
            return await SearchBench.RunAsync(args);
        }

        return Usage(2);
    }

    private static int Usage(int exitCode)
    {
        Console.WriteLine("usage: scan [--apps N] [--service-principals M] [--runs 3] [--postgres \"<connection string>\"] | search [--apps 200000] [--postgres \"<connection string>\"] | scan-limits [--apps N] [--service-principals M] [--latency-ms 300] | fanout [--digests N] [--instances 2 --postgres \"<connection string>\"] [--cold] | p5 [--users 50] [--seconds 60] [--apps 20000] [--with-scan] [--pause-ms 0] [--graph-latency-ms 0] [--postgres \"<connection string>\"] | soak [--rate 100] [--minutes 10] [--users 50] [--apps 2000] [--postgres \"<connection string>\"]");
        return exitCode;
    }

    internal static int IntArg(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
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
