using System.Diagnostics;
using System.Globalization;

namespace CredentialBot.Bench;

/// <summary>
/// The soak (issue 18.7): <c>soak [--rate 100] [--minutes 10] [--users 50] [--apps 2000] [--postgres "…"]</c>. Requests
/// start at a fixed rate whatever the answers do (an open loop, as many people clicking would), in a realistic mix:
/// 20 % messages ("my apps"), 20 % status, 30 % Snooze, 20 % Acknowledge, 10 % Rotate now (open the dialog, then create
/// the secret, replacing the oldest one with "Remove it now", so the janitor has one removal per rotation). Messages and
/// status are answered by a reply through the Connector, which Teams limits to 50 requests a second per app and tenant
/// whatever the bot; at 100 requests a second this mix asks 40 replies a second of it, and the table shows what the
/// host sent. (A mix of half replies asked the whole budget of one tenant, so its replies could only queue.) The client
/// gives up on a request after 10 s (a timeout). Prints a table per minute — requests, errors, timeouts, p50/p99 per
/// kind, the host's resident memory, removals still scheduled and done — then the targets: 0 errors, 0 timeouts,
/// rotate p99 ≤ 1 s, RSS flat within ±10 % after the first minute, the janitor keeping up.
/// </summary>
internal static class SoakBench
{
    // Ten slots, one request each, in this order: 2 messages, 2 status, 3 Snooze, 2 Acknowledge, 1 rotation.
    private static readonly string[] Mix = ["status", "message", "snooze", "acknowledge", "snooze", "rotate", "snooze", "status", "acknowledge", "message"];
    private static readonly string[] Columns = ["message", "status", "snooze", "acknowledge", "rotate-open", "rotate"];

    public static async Task<int> RunAsync(string[] args)
    {
        var rate = Program.IntArg(args, "--rate", 100);
        var minutes = Program.IntArg(args, "--minutes", 10);
        var people = Program.IntArg(args, "--users", 50);
        var apps = Program.IntArg(args, "--apps", 2_000);
        Console.WriteLine($"load average at start: {LoadRig.LoadAverage()} ({Environment.ProcessorCount} cores)");
        await using var rig = await LoadRig.StartAsync(apps, people, requestsPerPerson: 1, BenchStore.PostgresOption(args), TimeSpan.FromSeconds(10));

        var log = new LatencyLog();
        var rows = new List<string>();
        var rss = new List<double>();
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromMinutes(minutes);
        var launched = 0L;
        var minute = 1;
        var connector = new ConnectorRate(rig);
        Console.WriteLine($"Soak: {rate}/s for {minutes} min, {people} people…");
        Console.WriteLine($"| minute | requests | errors | timeouts | {string.Join(" | ", Columns.Select(c => c + " p50/p99 ms"))} | Connector requests/s | host RSS MB | removals scheduled / done | load |");
        Console.WriteLine($"|---:|---:|---:|---:|{string.Concat(Columns.Select(_ => "---:|"))}---:|---:|---:|---|");
        while (clock.Elapsed < duration)
        {
            // Catch up on every start that is due, so a late tick never lowers the rate.
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            for (; launched < due; launched++)
            {
                var kind = Mix[launched % Mix.Length];
                var user = rig.Users[(int)(launched / Mix.Length % rig.Users.Count)];
                inFlight.Add(Task.Run(() => InteractiveBench.DoAsync(rig, user, kind, log)));
            }

            if (clock.Elapsed >= TimeSpan.FromMinutes(minute))
            {
                rss.Add(rig.Bot.ResidentMegabytes());
                rows.Add(await RowAsync(rig, log, minute, connector.PerSecondSinceLast(), rss[^1]));
                Console.WriteLine(rows[^1]);
                minute++;
                inFlight.RemoveAll(t => t.IsCompleted);
            }

            await Task.Delay(5);
        }

        await Task.WhenAll(inFlight);
        if (rss.Count < minutes)
        {
            rss.Add(rig.Bot.ResidentMegabytes());
            Console.WriteLine(await RowAsync(rig, log, minute, connector.PerSecondSinceLast(), rss[^1]));
        }

        return await SummaryAsync(rig, log, rss, minutes) ? 0 : 1;
    }

    private static async Task<string> RowAsync(LoadRig rig, LatencyLog log, int minute, double connectorPerSecond, double rss)
    {
        var samples = log.Samples.Where(s => s.At >= TimeSpan.FromMinutes(minute - 1) && s.At < TimeSpan.FromMinutes(minute)).ToList();
        var cells = Columns.Select(kind =>
        {
            var times = samples.Where(s => s.Kind == kind).Select(s => s.Milliseconds).Order().ToList();
            return times.Count == 0 ? "—" : $"{LatencyLog.Ms(LatencyLog.Quantile(times, 0.5))} / {LatencyLog.Ms(LatencyLog.Quantile(times, 0.99))}";
        });
        var (scheduled, done) = await rig.RemovalsAsync();
        return string.Create(CultureInfo.InvariantCulture,
            $"| {minute} | {samples.Count:N0} | {samples.Count(s => s.Outcome == LatencyLog.Outcome.Error)} | {samples.Count(s => s.Outcome == LatencyLog.Outcome.Timeout)} | {string.Join(" | ", cells)} | {connectorPerSecond:F1} | {rss:F0} | {scheduled:N0} / {done:N0} | {LoadRig.LoadAverage()} |");
    }

    private static async Task<bool> SummaryAsync(LoadRig rig, LatencyLog log, List<double> rss, int minutes)
    {
        var samples = log.Samples.ToList();
        var errors = samples.Count(s => s.Outcome == LatencyLog.Outcome.Error);
        var timeouts = samples.Count(s => s.Outcome == LatencyLog.Outcome.Timeout);
        var rotations = samples.Where(s => s.Kind == "rotate").Select(s => s.Milliseconds).Order().ToList();
        var rotateP99 = LatencyLog.Quantile(rotations, 0.99);
        var afterWarmUp = rss.Skip(1).ToList();
        var rssFlat = afterWarmUp.Count < 2 || (afterWarmUp.Max() <= afterWarmUp[0] * 1.1 && afterWarmUp.Min() >= afterWarmUp[0] * 0.9);

        // Removals are due at once ("Remove it now"); a janitor round runs every minute. Keeping up means what is still
        // scheduled at the end is no more than the last two minutes of rotations.
        var (scheduled, done) = await rig.RemovalsAsync();
        var recentRotations = samples.Count(s => s.Kind == "rotate" && s.Outcome == LatencyLog.Outcome.Ok && s.At >= TimeSpan.FromMinutes(minutes - 2));
        var keepsUp = done > 0 && scheduled <= recentRotations;

        Console.WriteLine();
        Console.WriteLine($"requests: {samples.Count:N0} ({samples.Count / (minutes * 60.0):F1}/s); load average now {LoadRig.LoadAverage()}");
        foreach (var (reason, count) in log.ErrorReasons.OrderByDescending(r => r.Value).Take(8))
        {
            Console.WriteLine($"  {count} × {reason}");
        }

        Console.WriteLine($"errors: {errors} (target 0: {Met(errors == 0)})");
        Console.WriteLine($"timeouts (10 s): {timeouts} (target 0: {Met(timeouts == 0)})");
        Console.WriteLine($"rotate p99: {LatencyLog.Ms(rotateP99)} ms over {rotations.Count:N0} rotations (target ≤ 1,000 ms: {Met(rotations.Count > 0 && rotateP99 <= 1_000)})");
        Console.WriteLine($"host RSS after the first minute: {string.Join(", ", afterWarmUp.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))} MB (target within ±10 %: {Met(rssFlat)})");
        Console.WriteLine($"old secrets removed: {done:N0}; still scheduled: {scheduled:N0} against {recentRotations:N0} rotations in the last 2 minutes (janitor keeps up: {Met(keepsUp)})");
        return errors == 0 && timeouts == 0 && rotations.Count > 0 && rotateP99 <= 1_000 && rssFlat && keepsUp;
    }

    private static string Met(bool met) => met ? "met" : "NOT MET";

    /// <summary>The Connector requests the host made (replies, sends, updates) a second since the last reading.</summary>
    private sealed class ConnectorRate(LoadRig rig)
    {
        private long _count = rig.Connector.Requests;
        private long _at = Stopwatch.GetTimestamp();

        public double PerSecondSinceLast()
        {
            var (count, at) = (rig.Connector.Requests, Stopwatch.GetTimestamp());
            var perSecond = (count - _count) / Stopwatch.GetElapsedTime(_at, at).TotalSeconds;
            (_count, _at) = (count, at);
            return perSecond;
        }
    }
}
