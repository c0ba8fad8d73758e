using CredentialBot.Shared.Messaging;
using CredentialBot.Store;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CredentialBot.Tests.Messaging;

/// <summary>
/// Requests to the Connector are paced so no one-second window, however aligned, holds more slots than Teams' per-tenant
/// limit — the tenant's, shared through the store by every instance. (What arrives late is held by the hard limit,
/// ConnectorRequestWindowTests and SeveralHostsDispatching.) The clock stands still and timers fire at once, so the test
/// reads the schedule without waiting for it.
/// </summary>
public sealed class SendPacingTests : IDisposable
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
        var limits = await InstanceAsync(new SendLimitOptions { TenantSendsPerSecond = 50, TenantSendHeadroom = 0 });

        for (var i = 0; i < 200; i++)
        {
            await limits.WaitForSlotAsync("tenant", CancellationToken.None);
        }

        AssertPacedAtTheLimit(200);
    }

    [Fact]
    public async Task TwoInstancesOnOneStore_ShareTheTenantsBudget_AndTogetherNeverExceedIt()
    {
        var first = await InstanceAsync(new SendLimitOptions { TenantSendsPerSecond = 50, TenantSendHeadroom = 0 });
        var second = await InstanceAsync(new SendLimitOptions { TenantSendsPerSecond = 50, TenantSendHeadroom = 0 });

        // Both fan out at once: each alone would send 50 a second, together 100 without the shared budget.
        await Task.WhenAll(
            Task.Run(() => FanOutAsync(first)),
            Task.Run(() => FanOutAsync(second)));

        AssertPacedAtTheLimit(200);
    }

    [Fact]
    public async Task Tenants_ArePacedIndependently()
    {
        var limits = await InstanceAsync(new SendLimitOptions());

        await limits.WaitForSlotAsync("contoso", CancellationToken.None);
        await limits.WaitForSlotAsync("fabrikam", CancellationToken.None);
        Assert.Empty(_time.Delays);
    }

    private static async Task FanOutAsync(SendPacing limits)
    {
        for (var i = 0; i < 100; i++)
        {
            await limits.WaitForSlotAsync("tenant", CancellationToken.None);
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
    private async Task<SendPacing> InstanceAsync(SendLimitOptions options)
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

        return new SendPacing(Options.Create(options), _time, provider.GetRequiredService<IServiceScopeFactory>());
    }
}
