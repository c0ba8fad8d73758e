using System.Collections.Concurrent;
using System.Diagnostics;
using CredentialBot.Directory.Diagnostics;
using CredentialBot.Domain;
using CredentialBot.Simulator;
using Microsoft.Extensions.DependencyInjection;
using FakeClock = Microsoft.Extensions.Time.Testing.FakeTimeProvider;

namespace CredentialBot.Directory.Tests;

/// <summary>
/// What the scan's telemetry reports about Graph: every request on the wire is a span from the end of the SDK's
/// handler chain (each retry its own), and a <see cref="GraphTally"/> counts the requests, pages and 429s of its own
/// work only, against a Simulator that really throttles.
/// </summary>
public sealed class CountingGraphWork : IDisposable
{
    private readonly ConcurrentBag<Activity> _spans = [];
    private readonly ActivityListener _listener;

    public CountingGraphWork()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DirectoryTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Add,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task AThrottledListing_CountsEvery429_AsGraphAnsweredIt_AndTracesEachRetry()
    {
        var clock = new FakeClock();
        var tenant = GeneratedTenant.Create(1_000, 0, seed: 5, clock);
        await using var server = await SimulatorServer.StartAsync(tenant, new SimulatorOptions { Limits = new GraphLimits { ResourceUnits = 100 }, Time = clock });
        await using var services = TestDirectory.Build(server.BaseAddress, clock, ("Graph:ScanResourceUnitsPerSecond", "0"));

        using var tally = GraphTally.Start();
        var apps = await TestDirectory.WithClockRunningAsync(clock, () => TestDirectory.ToListAsync(services.GetRequiredService<ITenantDirectory>().GetApplicationsAsync()));

        Assert.Equal(1_000, apps.Count);
        var stats = await TestDirectory.StatsAsync(server);
        Assert.True(stats["throttled"] > 0, "the Simulator throttled the listing");
        Assert.Equal(stats["throttled"], tally.Throttled);
        Assert.Equal(stats["requests"], tally.Requests);
        Assert.Equal(2, tally.Pages);

        var mine = _spans.Where(s => Equals(s.GetTagItem(DirectoryTelemetry.ServerPortAttribute), server.BaseAddress.Port)).ToList();
        Assert.Equal(stats["requests"], mine.Count);
        // Graph throttles a page on the wire, or requests inside a $batch while answering the batch itself.
        var onTheWire = mine.Where(s => Equals(s.GetTagItem(DirectoryTelemetry.StatusCodeAttribute), 429)).ToList();
        Assert.All(onTheWire, s => Assert.NotNull(s.GetTagItem(DirectoryTelemetry.RetryAfterAttribute)));
        Assert.True(onTheWire.Count < tally.Throttled, "some 429s answered requests inside a $batch");
        Assert.All(mine, s => Assert.Equal("low", s.GetTagItem(DirectoryTelemetry.PriorityAttribute)));
    }

    [Fact]
    public async Task TwoListingsAtOnce_EachTallyCountsOnlyItsOwnWork()
    {
        var tenant = GeneratedTenant.Create(1_000, 0, seed: 6, TimeProvider.System);
        await using var server = await SimulatorServer.StartAsync(tenant);
        await using var services = TestDirectory.Build(server.BaseAddress);
        var directory = services.GetRequiredService<ITenantDirectory>();

        async Task<GraphTally> ListAsync()
        {
            // Yield first, so each listing runs on its own flow rather than inline on the test's.
            await Task.Yield();
            var tally = GraphTally.Start();
            await TestDirectory.ToListAsync(directory.GetApplicationsAsync());
            tally.Dispose();
            return tally;
        }

        var outside = GraphTally.Start();
        var tallies = await Task.WhenAll(ListAsync(), ListAsync());
        outside.Dispose();

        var total = (await TestDirectory.StatsAsync(server))["requests"];
        Assert.All(tallies, t => Assert.Equal(2, t.Pages));
        Assert.Equal(total, tallies.Sum(t => t.Requests));
        Assert.Equal(0, outside.Requests);
    }
}
