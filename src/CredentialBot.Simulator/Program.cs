using System.Globalization;

namespace CredentialBot.Simulator;

/// <summary>
/// Standalone: <c>dotnet run --project src/CredentialBot.Simulator -- [--port 5080] [--apps N --service-principals M --seed S]
/// [--graph-limits] [--latency-ms 300]</c>: <c>--graph-limits</c> enforces Graph's published throttling limits
/// (<see cref="GraphLimits"/>), <c>--latency-ms</c> delays every response.
/// Binds to 127.0.0.1 only: it accepts any token and must never be reachable from elsewhere.
/// </summary>
internal static class SimulatorProgram
{
    public static async Task<int> Main(string[] args)
    {
        var port = IntArg(args, "--port", 5080);
        var apps = IntArg(args, "--apps", 0);
        var tenant = apps > 0
            ? GeneratedTenant.Create(apps, IntArg(args, "--service-principals", apps), IntArg(args, "--seed", 42), TimeProvider.System)
            : DemoTenant.Create(TimeProvider.System);

        var options = new SimulatorOptions
        {
            Limits = args.Contains("--graph-limits") ? new GraphLimits() : null,
            Latency = TimeSpan.FromMilliseconds(IntArg(args, "--latency-ms", 0)),
        };
        await using var server = await SimulatorServer.StartAsync(tenant, options, port).ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"Graph Simulator serving {tenant.Applications.Count} applications and {tenant.ServicePrincipals.Count} service principals at {server.BaseAddress}").ConfigureAwait(false);
        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        await stop.Task.ConfigureAwait(false);
        return 0;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
