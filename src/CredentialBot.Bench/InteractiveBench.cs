using System.Diagnostics;
using System.Globalization;

namespace CredentialBot.Bench;

/// <summary>
/// Benchmark P5 (issue 18.2): <c>p5 [--users 50] [--seconds 60] [--apps 20000] [--with-scan] [--pause-ms 0] [--graph-latency-ms 0] [--postgres "…"]</c>.
/// N people at once, each doing status, Snooze, Rotate now and Approve in turn as soon as the previous answer came
/// (a closed loop), against the real host in local mode (<see cref="LoadRig"/>). <c>--pause-ms</c> makes each person
/// wait about that long after each answer (0.5–1.5 times it, at random), as people do while they read a card; the targets are judged on runs without it
/// (the harder case: every person always has a request in flight), and the report names the pause it ran with.
/// <c>--graph-latency-ms</c> makes the Simulator answer each Graph request that much later, as Graph does over a
/// network (the targets are judged without it). With <c>--with-scan</c> a second
/// phase runs while an admin's "scan now" makes a full listing of the tenant (the Simulator's delta links are expired
/// first). Prints requests/s, p50/p99/max, errors and timeouts per kind, the Connector requests a second (each status
/// reply is one; the tenant's budget caps them), and met / not met against the targets:
/// p99 ≤ 300 ms for status, Snooze and Approve, ≤ 1 s for Rotate now (the create step), 0 errors.
/// </summary>
internal static class InteractiveBench
{
    private static readonly string[] Kinds = ["status", "snooze", "rotate", "approve"];

    public static async Task<int> RunAsync(string[] args)
    {
        var people = Program.IntArg(args, "--users", 50);
        var seconds = Program.IntArg(args, "--seconds", 60);
        var apps = Program.IntArg(args, "--apps", 20_000);
        var withScan = args.Contains("--with-scan");
        var pause = TimeSpan.FromMilliseconds(Program.IntArg(args, "--pause-ms", 0));
        var graphLatency = TimeSpan.FromMilliseconds(Program.IntArg(args, "--graph-latency-ms", 0));
        Console.WriteLine($"load average at start: {LoadRig.LoadAverage()} ({Environment.ProcessorCount} cores)");
        // A fast host answers about one Approve a second per person: seed twice that for every measured phase and the
        // warm-up, so no phase runs out of requests to approve (one did: its Approve row counted 107 requests).
        var phases = withScan ? 2 : 1;
        await using var rig = await LoadRig.StartAsync(apps, people, requestsPerPerson: Math.Max(20, 2 * seconds * phases + 1), BenchStore.PostgresOption(args), TimeSpan.FromSeconds(30), graphLatency);

        // One of each per person first, not counted: the host's first requests JIT-compile their code paths.
        await RunPhaseAsync(rig, TimeSpan.Zero, rounds: 1, TimeSpan.Zero, new LatencyLog());

        var paused = pause > TimeSpan.Zero ? $", each person pausing {pause.TotalMilliseconds:N0} ms after each answer" : string.Empty;
        var met = Report($"quiet (no scan){paused}", rig, await MeasureAsync(rig, TimeSpan.FromSeconds(seconds), pause), seconds);
        if (withScan)
        {
            // An admin asks for "scan now" every 3 s after expiring the delta links: whenever no scan runs, a full
            // listing starts (one that runs answers "already running"), so one is under way for the whole phase.
            using var stop = new CancellationTokenSource();
            using var scan = await ScanWatch.StartAsync(rig);
            var scanning = KeepScanningAsync(rig, stop.Token);
            await scan.WaitForStartAsync();
            var summaries = await rig.SummariesKeptAsync();
            var during = await MeasureAsync(rig, TimeSpan.FromSeconds(seconds), pause);
            var finished = await rig.SummariesKeptAsync() - summaries;
            await stop.CancelAsync();
            var asks = await scanning;
            met &= Report($"while full scans run ({await scan.StopAsync()}; 'scan now' asked {asks} times, {finished} scans finished){paused}", rig, during, seconds);
        }

        Console.WriteLine($"load average at end: {LoadRig.LoadAverage()}");
        return met ? 0 : 1;
    }

    private static async Task<LatencyLog> MeasureAsync(LoadRig rig, TimeSpan duration, TimeSpan pause)
    {
        var log = new LatencyLog();
        var before = rig.Connector.Requests;
        var cpuBefore = rig.Bot.ProcessorTime();
        var allocatedBefore = rig.Bot.AllocatedBytes();
        await RunPhaseAsync(rig, duration, rounds: int.MaxValue, pause, log);
        log.HostProcessorTime = rig.Bot.ProcessorTime() - cpuBefore;
        log.HostAllocatedBytes = rig.Bot.AllocatedBytes() - allocatedBefore;
        log.ConnectorRequests = rig.Connector.Requests - before;
        return log;
    }

    /// <summary>Every person loops over the kinds (each starting at a different one) until the time is up or the rounds are done.</summary>
    private static Task RunPhaseAsync(LoadRig rig, TimeSpan duration, int rounds, TimeSpan pause, LatencyLog log)
    {
        var clock = Stopwatch.StartNew();
        return Task.WhenAll(rig.Users.Select((user, index) => Task.Run(async () =>
        {
            if (pause > TimeSpan.Zero)
            {
                // People do not all click in the same millisecond either: starting together sent fifty requests in one
                // instant, and that one burst made most of a phase's slowest answers (BENCH_SAMPLES shows when each came).
                await Task.Delay(pause * 1.5 * Random.Shared.NextDouble());
            }

            for (var step = 0L; step < (long)rounds * Kinds.Length && (rounds != int.MaxValue || clock.Elapsed < duration); step++)
            {
                await DoAsync(rig, user, Kinds[(index + step) % Kinds.Length], log);
                if (pause > TimeSpan.Zero)
                {
                    // Between half and one and a half times the pause: equal pauses would keep everyone in step, sending
                    // all fifty requests in the same instant every round, which is a burst, not people reading cards.
                    await Task.Delay(pause * (0.5 + Random.Shared.NextDouble()));
                }
            }
        })));
    }

    internal static async Task DoAsync(LoadRig rig, BenchUser user, string kind, LatencyLog log)
    {
        var bot = rig.Client;
        switch (kind)
        {
            case "status":
                await log.TimeAsync(kind, () => bot.StatusAsync(user, CancellationToken.None));
                break;
            case "message":
                await log.TimeAsync(kind, () => bot.MessageAsync(user, "my apps", CancellationToken.None));
                break;
            case "snooze":
                await log.TimeAsync(kind, () => bot.PauseAsync(user, "snooze", CancellationToken.None));
                break;
            case "acknowledge":
                await log.TimeAsync(kind, () => bot.PauseAsync(user, "acknowledge", CancellationToken.None));
                break;
            case "approve":
                if (user.PendingRequests.TryDequeue(out var request))
                {
                    await log.TimeAsync(kind, () => bot.ApproveAsync(user, request, CancellationToken.None));
                }

                break;
            case "rotate":
                System.Text.Json.JsonElement? form = null;
                if (await log.TimeAsync("rotate-open", async () =>
                {
                    var (opened, failure) = await bot.OpenRotateAsync(user, CancellationToken.None);
                    form = opened;
                    return failure;
                }))
                {
                    await log.TimeAsync(kind, () => bot.SubmitRotateAsync(user, form!.Value, CancellationToken.None));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of request.");
        }
    }

    /// <summary>Until stopped: expire the Simulator's delta links, ask for "scan now" as the admin, wait 3 s.</summary>
    private static async Task<int> KeepScanningAsync(LoadRig rig, CancellationToken stop)
    {
        var asks = 0;
        while (!stop.IsCancellationRequested)
        {
            using (var expire = await rig.Http.PostAsync(new Uri(rig.Simulator.BaseAddress, "/_simulator/expire-delta"), null, CancellationToken.None))
            {
                expire.EnsureSuccessStatusCode();
            }

            if (await rig.Client.MessageAsync(rig.Admin, "scan now", CancellationToken.None) is { } failure)
            {
                throw new InvalidOperationException($"'scan now' failed: {failure}");
            }

            asks++;
            await Task.Delay(3_000, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return asks;
    }

    /// <summary>Prints the phase's table; true when every target was met.</summary>
    internal static bool Report(string phase, LoadRig rig, LatencyLog log, double seconds)
    {
        // BENCH_SAMPLES names a file that gets every request of the phase (phase, kind, start in ms, duration in ms), to
        // see when the slowest answers came.
        if (Environment.GetEnvironmentVariable("BENCH_SAMPLES") is { Length: > 0 } dump)
        {
            File.AppendAllLines(dump, log.Samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{phase[..5]},{s.Kind},{s.At.TotalMilliseconds:F0},{s.Milliseconds:F1}")));
        }

        Console.WriteLine();
        Console.WriteLine($"P5, {rig.Users.Count} people, {phase}, {seconds:F0} s, load average now {LoadRig.LoadAverage()}:");
        Console.WriteLine("| kind | requests | per second | p50 ms | p99 ms | max ms | errors | timeouts | target | met |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
        var allMet = true;
        foreach (var group in log.Samples.GroupBy(s => s.Kind).OrderBy(g => Array.IndexOf([.. Kinds, "rotate-open"], g.Key)))
        {
            var all = group.Select(s => s.Milliseconds).Order().ToList();
            var errors = group.Count(s => s.Outcome == LatencyLog.Outcome.Error);
            var timeouts = group.Count(s => s.Outcome == LatencyLog.Outcome.Timeout);
            double? target = group.Key switch { "rotate" => 1_000, "rotate-open" => null, _ => 300 };
            var p99 = LatencyLog.Quantile(all, 0.99);
            var met = target is null ? (bool?)null : p99 <= target && errors == 0 && timeouts == 0;
            allMet &= met ?? true;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key} | {group.Count():N0} | {group.Count() / seconds:F1} | {LatencyLog.Ms(LatencyLog.Quantile(all, 0.5))} | {LatencyLog.Ms(p99)} | {LatencyLog.Ms(all.Count == 0 ? 0 : all[^1])} | {errors} | {timeouts} | {(target is { } t ? $"p99 ≤ {t:N0} ms, 0 errors" : "—")} | {(met is null ? "—" : met.Value ? "met" : "**not met**")} |"));
        }

        foreach (var (reason, count) in log.ErrorReasons.OrderByDescending(r => r.Value).Take(8))
        {
            Console.WriteLine($"  {count} × {reason}");
        }

        Console.WriteLine($"Requests per second, all kinds: {log.Samples.Count / seconds:F1}; host RSS {rig.Bot.ResidentMegabytes():F0} MB");
        // Every status reply is a Connector request, and the tenant's budget (Notifications:TenantSendsPerSecond, 50 by
        // default) caps them: in this closed loop it caps the rounds of every person, whatever else gets faster.
        Console.WriteLine($"Connector requests per second (replies, sends, updates): {log.ConnectorRequests / seconds:F1}");
        // What the host spends per answer, whatever the loop's pace: the figure that shows the host's own cost (during
        // scans it includes the scan's work).
        Console.WriteLine($"Host CPU: {log.HostProcessorTime.TotalSeconds / seconds:F2} cores, {log.HostProcessorTime.TotalMilliseconds / Math.Max(1, log.Samples.Count):F2} ms per request");
        // What the host allocates per answer: other processes cannot move it, so it varies less between runs than the
        // CPU time does (HostAllocations).
        if (log.HostAllocatedBytes is { } allocated)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Host allocated: {allocated / seconds / 1e6:F1} MB a second, {allocated / 1024.0 / Math.Max(1, log.Samples.Count):F0} KB per request"));
        }
        return allMet;
    }
}
