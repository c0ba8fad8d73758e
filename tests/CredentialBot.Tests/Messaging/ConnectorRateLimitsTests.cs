using CredentialBot.Shared.Messaging;
using CredentialBot.Store;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CredentialBot.Tests.Messaging;

/// <summary>
/// Proactive sends are paced so no one-second window, however aligned, holds more than Teams' per-tenant limit — the
/// tenant's, shared through the store by every instance. The clock stands still and timers fire at once, so the test
/// reads the schedule without waiting for it.
/// </summary>
public sealed class ConnectorRateLimitsTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"cb-limits-{Guid.NewGuid():N}.db");
    private readonly RecordingDelays _time = new(TestClock.DefaultStart);
    private readonly List<ServiceProvider> _instances = [];

    public void Dispose()
    {
        foreach (var instance in _instances)
        {
            instance.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ATenantsSends_NeverExceedTheLimitInAnyOneSecondWindow()
    {
        await using var limits = await InstanceAsync(new SendLimitOptions { TenantSendsPerSecond = 50, TenantSendHeadroom = 0 });

        for (var i = 0; i < 200; i++)
        {
            using var lease = await limits.AcquireAsync("tenant", $"a:conversation-{i}", CancellationToken.None);
        }

        AssertPacedAtTheLimit(200);
    }

    [Fact]
    public async Task TwoInstancesOnOneStore_ShareTheTenantsBudget_AndTogetherNeverExceedIt()
    {
        await using var first = await InstanceAsync(new SendLimitOptions { TenantSendsPerSecond = 50, TenantSendHeadroom = 0 });
        await using var second = await InstanceAsync(new SendLimitOptions { TenantSendsPerSecond = 50, TenantSendHeadroom = 0 });

        // Both fan out at once: each alone would send 50 a second, together 100 without the shared budget.
        await Task.WhenAll(
            Task.Run(() => FanOutAsync(first, "first")),
            Task.Run(() => FanOutAsync(second, "second")));

        AssertPacedAtTheLimit(200);
    }

    [Fact]
    public async Task Tenants_ArePacedIndependently()
    {
        await using var limits = await InstanceAsync(new SendLimitOptions());

        using (await limits.AcquireAsync("contoso", "a:1", CancellationToken.None))
        using (await limits.AcquireAsync("fabrikam", "a:2", CancellationToken.None))
        {
            Assert.Empty(_time.Delays);
        }
    }

    private static async Task FanOutAsync(ConnectorRateLimits limits, string instance)
    {
        for (var i = 0; i < 100; i++)
        {
            using var lease = await limits.AcquireAsync("tenant", $"a:{instance}-{i}", CancellationToken.None);
        }
    }

    /// <summary>The first send goes at once (no delay recorded); the others wait for their slots, 49 a second.</summary>
    private void AssertPacedAtTheLimit(int sends)
    {
        List<TimeSpan> slots = [TimeSpan.Zero, .. _time.Delays];
        Assert.Equal(sends, slots.Count);
        Assert.Equal(sends, slots.Distinct().Count());
        var busiest = slots.Max(start => slots.Count(s => s >= start && s < start + TimeSpan.FromSeconds(1)));
        // Slots 1/49 s apart (rounded up): 49 in a half-open second, never more than the limit of 50, at 98 % of it.
        Assert.InRange(busiest, 49, 50);
        // Timers round delays to whole milliseconds.
        Assert.InRange(slots.Max(), TimeSpan.FromSeconds(((sends - 1) / 49.0) - 0.002), TimeSpan.FromSeconds(((sends - 1) / 49.0) + 0.01));
    }

    /// <summary>One instance of the bot's send limits on the shared SQLite store, as the host wires them.</summary>
    private async Task<ConnectorRateLimits> InstanceAsync(SendLimitOptions options)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Store:ConnectionString"] = $"Data Source={_path}" }).Build();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_time).AddLogging();
        services.AddCredentialBotStore(configuration);
        var provider = services.BuildServiceProvider();
        _instances.Add(provider);
        await using (var scope = provider.CreateAsyncScope())
        {
            await StoreDatabase.MigrateAsync(scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>());
        }

        return new ConnectorRateLimits(Options.Create(options), _time, provider.GetRequiredService<IServiceScopeFactory>());
    }
}
