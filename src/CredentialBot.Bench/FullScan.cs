using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Threading.Channels;
using CredentialBot.Admin.Compliance;
using CredentialBot.Domain;
using CredentialBot.Scanning;
using CredentialBot.Store.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CredentialBot.Bench;

/// <summary>
/// <c>scan [--apps 100000] [--service-principals N] [--runs 3] [--postgres "&lt;connection string&gt;"]</c>: benchmark (a)
/// of docs/benchmarks.md, then (c) on the store it leaves, then the compliance walk a delta round ends with.
/// <para>
/// The floor is the product's own read path and nothing else: every App streamed through <see cref="ITenantDirectory"/>
/// (the same Graph requests, parsing and page prefetching), batched and handed through the same bounded channel the
/// scan's writer reads, then dropped. So the floor follows the directory's read plan whenever that plan changes, and
/// the scan's excess over it is what storing costs. Each side has a host of its own, warmed by untimed runs (the
/// scan's by a first load and a rescan); then both run <c>--runs</c> times interleaved (floor, scan, floor, scan…), each
/// scan into an empty store: the scan's host keeps running and its store is made new
/// (<see cref="BenchHost.ResetStoreAsync"/>), and each timed run starts once the JIT has rested, so no timed run pays
/// for a host's first queries and code, which a long-running host pays once. Then the same number of full rescans of
/// the unchanged tenant into the populated store (a resynchronisation), again interleaved with the floor.
/// </para>
/// <para>
/// Last, the store's own floor (<see cref="StoreFloor"/>): the rows that listing left, written again into an empty store
/// by the product's row writer alone, which says how much of a first load is the store's own work.
/// </para>
/// </summary>
internal static class FullScan
{
    public static async Task<int> RunAsync(string[] args)
    {
        var apps = Program.IntArg(args, "--apps", 100_000);
        var servicePrincipals = Program.IntArg(args, "--service-principals", apps);
        var runs = Math.Max(1, Program.IntArg(args, "--runs", 3));
        var postgres = BenchStore.PostgresOption(args);
        Console.WriteLine($"Generating {apps:N0} applications and {servicePrincipals:N0} service principals in a Simulator process…");
        await using var simulator = await SimulatorProcess.StartAsync(apps, servicePrincipals);
        Console.WriteLine($"Simulator ready at {simulator.BaseAddress} after {simulator.StartupTime.TotalSeconds:F1} s; store: {(postgres is null ? "SQLite" : "PostgreSQL")}");

        // This Simulator enforces no Graph limits, so neither side paces itself to them.
        string[] settings = ["--Graph:KeyCredentialRequests=0"];
        await using var floorHost = await BenchHost.StartAsync(simulator.BaseAddress, settings);
        await using var scanStore = await BenchStore.CreateAsync(postgres);
        await using var scanHost = await BenchHost.StartAsync(simulator.BaseAddress, scanStore, settings);
        var scanner = scanHost.Services.GetRequiredService<IOptions<ScannerOptions>>().Value;
        var floors = new List<Run>();
        var scans = new List<Run>();
        var rescans = new List<Run>();

        Console.WriteLine("Warming up (not counted)…");
        await MeasureAsync("  warm-up floor", simulator, () => FloorAsync(floorHost.Services));
        await MeasureAsync("  warm-up scan", simulator, () => ScanOnceAsync(scanHost.Services));
        await ForgetDeltaLinksAsync(scanHost.Services);
        await MeasureAsync("  warm-up rescan", simulator, () => ScanOnceAsync(scanHost.Services));
        for (var run = 1; run <= runs; run++)
        {
            floors.Add(await MeasureAsync($"floor {run}", simulator, () => FloorAsync(floorHost.Services)));
            await scanHost.ResetStoreAsync();
            scans.Add(await MeasureAsync($"scan {run} (empty store)", simulator, () => ScanOnceAsync(scanHost.Services)));
        }

        for (var run = 1; run <= runs; run++)
        {
            floors.Add(await MeasureAsync($"floor {runs + run}", simulator, () => FloorAsync(floorHost.Services)));
            await ForgetDeltaLinksAsync(scanHost.Services);
            rescans.Add(await MeasureAsync($"rescan {run} (unchanged tenant, full listing)", simulator, () => ScanOnceAsync(scanHost.Services)));
        }

        Summarize(floors, scans, rescans);
        // Read back now, while the store holds a full listing's rows and nothing else: the delta round changes some.
        var storeFloor = await StoreFloor.CaptureAsync(scanHost.Services, scanner.BatchSize);
        await DeltaAsync(simulator, scanHost);
        await WalkAsync(simulator, scanHost, runs);
        // As a first load whose writer is behind its reader commits: PostgreSQL commits every batch on its own.
        await StoreFloorAsync(storeFloor, simulator, floorHost, scanHost, postgres is null ? scanner.BatchesPerTransaction : 1, runs, floors, scans);

        Console.WriteLine($"peak working set of this process over the whole run: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; load averages at the end: {LoadAverages()}");
        return 0;
    }

    /// <summary>
    /// The read half of <c>ScanJob</c>, with the write half replaced by nothing: per collection a delta link first,
    /// then the listing streamed from the directory, cut into the scan's batches on a reader task and handed through a
    /// channel of two batches to this task, which drops them.
    /// </summary>
    private static async Task<int> FloorAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<ITenantDirectory>();
        var batchSize = scope.ServiceProvider.GetRequiredService<IOptions<ScannerOptions>>().Value.BatchSize;
        var count = 0;
        foreach (var kind in new[] { AppKind.Application, AppKind.ServicePrincipal })
        {
            await directory.GetLatestDeltaLinkAsync(kind);
            var listing = kind == AppKind.Application ? directory.GetApplicationsAsync() : directory.GetServicePrincipalsAsync();
            var batches = Channel.CreateBounded<App[]>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
            var reader = Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in listing.Chunk(batchSize))
                    {
                        await batches.Writer.WriteAsync(batch);
                    }

                    batches.Writer.Complete();
                }
#pragma warning disable CA1031 // Handed to the reading side, which rethrows it.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    batches.Writer.Complete(ex);
                }
            });
            await foreach (var batch in batches.Reader.ReadAllAsync())
            {
                count += batch.Length;
            }

            await reader;
        }

        return count;
    }

    private static async Task<int> ScanOnceAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ScanJob>().RunOnceAsync(CancellationToken.None);
        Console.WriteLine($"    {result.ApplicationsMode}/{result.ServicePrincipalsMode} scan planned {result.NoticesPlanned:N0} new notices");
        return result.Applications + result.ServicePrincipals;
    }

    /// <summary>Drops the stored delta links, so the next scan lists everything again (as after an expired link).</summary>
    private static async Task ForgetDeltaLinksAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<DeltaTokenStore>();
        foreach (var kind in new[] { AppKind.Application, AppKind.ServicePrincipal })
        {
            await tokens.SetAsync(kind.ToString(), null);
        }
    }

    /// <summary>Benchmark (c): 1 % of the objects change in the Simulator, and the same store is scanned again, by delta.</summary>
    private static async Task DeltaAsync(SimulatorProcess simulator, BenchHost host)
    {
        var touched = await simulator.TouchAsync(every: 100);
        Console.WriteLine();
        Console.WriteLine($"(c) changed {touched:N0} objects (1 %) in the Simulator");
        await MeasureAsync("delta rescan", simulator, () => ScanOnceAsync(host.Services));
    }

    /// <summary>
    /// The walk of the whole store that keeps the compliance summary and the posture after a delta round. A full listing
    /// no longer needs it (it counts the Apps as it writes them), so this is what each full scan stopped costing.
    /// </summary>
    private static async Task WalkAsync(SimulatorProcess simulator, BenchHost host, int runs)
    {
        Console.WriteLine();
        for (var run = 1; run <= runs; run++)
        {
            await MeasureAsync($"compliance walk {run} (after a delta round; a full listing no longer walks)", simulator, async () =>
            {
                await using var scope = host.Services.CreateAsyncScope();
                return (await scope.ServiceProvider.GetRequiredService<ComplianceReport>().SnapshotAsync(CancellationToken.None)).Total;
            });
        }
    }

    /// <summary>
    /// The store's own floor (<see cref="StoreFloor"/>): warmed by one untimed run, then <paramref name="runs"/>
    /// runs, each into a store made new, interleaved with the read floor: first committing as many batches together as a
    /// first load does, then every batch in one transaction, which the product may not do (a person's write would wait
    /// behind it), to show what the commits cost. Printed beside the read floor and the first loads measured earlier.
    /// </summary>
    private static async Task StoreFloorAsync(StoreFloor storeFloor, SimulatorProcess simulator, BenchHost floorHost, BenchHost scanHost, int batchesPerTransaction, int runs, List<Run> floors, List<Run> scans)
    {
        Console.WriteLine();
        Console.WriteLine($"Store floor: the same {storeFloor.Rows:N0} rows written by the store alone through the product's row writer (warm-up not counted)…");
        await scanHost.ResetStoreAsync();
        await MeasureAsync("  warm-up store floor", simulator, () => storeFloor.WriteAsync(scanHost.Services, batchesPerTransaction, new StoreFloor.Parts()));
        var results = new List<(string Name, List<Run> Runs)>();
        (string Name, int PerTransaction)[] variants =
        [
            (batchesPerTransaction == 1 ? "store floor, a commit per batch" : $"store floor, {batchesPerTransaction} batches a commit", batchesPerTransaction),
            ("store floor, one transaction", storeFloor.AllBatches),
        ];
        foreach (var (name, perTransaction) in variants)
        {
            var storeFloors = new List<Run>();
            for (var run = 1; run <= runs; run++)
            {
                floors.Add(await MeasureAsync($"floor {floors.Count + 1}", simulator, () => FloorAsync(floorHost.Services)));
                await scanHost.ResetStoreAsync();
                var parts = new StoreFloor.Parts();
                storeFloors.Add(await MeasureAsync($"{name} {run}", simulator, () => storeFloor.WriteAsync(scanHost.Services, perTransaction, parts)));
                Console.WriteLine($"    statements {parts.Statements.TotalSeconds:F1} s, commits {parts.Commits.TotalSeconds:F1} s, index build {parts.IndexBuild.TotalSeconds:F1} s");
            }

            results.Add((name, storeFloors));
        }

        var floor = Median([.. floors.Select(r => r.Elapsed.TotalSeconds).Order()]);
        var scan = Median([.. scans.Select(r => r.Elapsed.TotalSeconds).Order()]);
        Console.WriteLine();
        Console.WriteLine($"{"(a) store floor, wall seconds",-44} {"runs",4} {"min",7} {"median",7} {"max",7}   {"CPU s (median)",14}");
        foreach (var (name, set) in results)
        {
            var seconds = set.Select(r => r.Elapsed.TotalSeconds).Order().ToList();
            Console.WriteLine($"{name,-44} {set.Count,4} {seconds[0],7:F1} {Median(seconds),7:F1} {seconds[^1],7:F1}   {Median([.. set.Select(r => r.CpuSeconds).Order()]),14:F1}");
        }

        Console.WriteLine();
        Console.WriteLine($"1.5x the floor (median of every floor run): {1.5 * floor:F1} s");
        foreach (var (name, set) in results)
        {
            var median = Median([.. set.Select(r => r.Elapsed.TotalSeconds).Order()]);
            Console.WriteLine($"{name}: {median / floor:F2}x the floor; full scan / it (medians): {scan / median:F2}x");
        }
    }

    private static void Summarize(List<Run> floors, List<Run> scans, List<Run> rescans)
    {
        Console.WriteLine();
        Console.WriteLine($"{"(a) wall seconds",-44} {"runs",4} {"min",7} {"median",7} {"max",7}   {"CPU s (median)",14} {"peak MB (max)",13}");
        foreach (var (name, set) in new[] { ("floor: directory read only", floors), ("full scan into an empty store", scans), ("full rescan, unchanged tenant", rescans) })
        {
            var seconds = set.Select(r => r.Elapsed.TotalSeconds).Order().ToList();
            Console.WriteLine($"{name,-44} {set.Count,4} {seconds[0],7:F1} {Median(seconds),7:F1} {seconds[^1],7:F1}   {Median([.. set.Select(r => r.CpuSeconds).Order()]),14:F1} {set.Max(r => r.PeakMegabytes),13:F0}");
        }

        var floor = Median([.. floors.Select(r => r.Elapsed.TotalSeconds).Order()]);
        Console.WriteLine();
        Console.WriteLine($"full scan / floor (medians): {Median([.. scans.Select(r => r.Elapsed.TotalSeconds).Order()]) / floor:F2}x (target <= 1.5x)");
        Console.WriteLine($"full rescan / floor (medians): {Median([.. rescans.Select(r => r.Elapsed.TotalSeconds).Order()]) / floor:F2}x");
        // Not the scan's own footprint: the floor's host stays up beside each run's host, and earlier runs leave memory
        // the runtime and SQLite keep. One scan in a process of its own is benchmark (b), which the target is held to.
        Console.WriteLine($"peak working set of this process during any run: {floors.Concat(scans).Concat(rescans).Max(r => r.PeakMegabytes):F0} MB (two hosts and what earlier runs left; one scan alone: scan-limits)");
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static async Task<Run> MeasureAsync(string name, SimulatorProcess simulator, Func<Task<int>> body)
    {
        var settling = await UntilCompilerRestsAsync();
        GC.Collect();
        PeakMemory.Reset();
        var before = await simulator.StatsAsync();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var jitted = JitInfo.GetCompiledMethodCount();
        var jitTime = JitInfo.GetCompilationTime();
        var allocated = GC.GetTotalAllocatedBytes();
        var paused = GC.GetTotalPauseDuration();
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var watch = Stopwatch.StartNew();
        var objects = await body();
        watch.Stop();
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var after = await simulator.StatsAsync();
        var run = new Run(objects, after["requests"] - before["requests"], after["operations"] - before["operations"], watch.Elapsed, cpuSeconds, PeakMemory.Megabytes());
        Console.WriteLine($"{name}: {objects:N0} objects, {run.Requests:N0} requests ({run.Operations:N0} Graph operations), {watch.Elapsed.TotalSeconds:F1} s, CPU {cpuSeconds:F1} s, peak {run.PeakMegabytes:F0} MB, load {LoadAverages()}");
        // A warm run compiles next to nothing; time spent compiling or collecting is CPU the run's own work did not use.
        Console.WriteLine($"    jitted {JitInfo.GetCompiledMethodCount() - jitted:N0} methods ({(JitInfo.GetCompilationTime() - jitTime).TotalSeconds:F2} s; it rested {settling.TotalSeconds:F1} s before), allocated {(GC.GetTotalAllocatedBytes() - allocated) / 1048576.0:N0} MB, GC paused {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s ({GC.CollectionCount(0) - gen0} collections, {GC.CollectionCount(2) - gen2} of them full)");
        return run;
    }

    /// <summary>
    /// Waits until the JIT has compiled nothing for a second (at most 30 s). What a run does before it (a store made new
    /// and migrated, say) makes the runtime recompile that code at tier 1 on a background thread, a second or two of CPU
    /// that would otherwise land inside the next timed run, which a long-running host pays once and never again.
    /// </summary>
    private static async Task<TimeSpan> UntilCompilerRestsAsync()
    {
        var watch = Stopwatch.StartNew();
        var quietSince = watch.Elapsed;
        var compiled = JitInfo.GetCompiledMethodCount();
        while (watch.Elapsed - quietSince < TimeSpan.FromSeconds(1) && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
            var now = JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                quietSince = watch.Elapsed;
            }
        }

        return watch.Elapsed;
    }

    private static string LoadAverages() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private sealed record Run(int Objects, long Requests, long Operations, TimeSpan Elapsed, double CpuSeconds, double PeakMegabytes);

    /// <summary>The process's peak resident set since the last <see cref="Reset"/> (Linux's VmHWM, reset through clear_refs).</summary>
    private static class PeakMemory
    {
        public static void Reset()
        {
            try
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        public static double Megabytes()
        {
            var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
            return line is null
                ? Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0
                : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
    }
}
