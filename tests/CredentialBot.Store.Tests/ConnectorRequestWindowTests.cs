using System.Collections.Concurrent;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Tests;

/// <summary>
/// The tenant's hard limit at the receiving end: requests admitted by the store, however late each arrives between its
/// admission and its answer, never put more than the limit into any one-second window. Real time (PostgreSQL reads
/// its own clock), many concurrent senders on separate contexts as separate instances would be.
/// </summary>
public abstract class ConnectorRequestWindowTests<TStore> : IAsyncLifetime
    where TStore : ITestStore, new()
{
    protected const int Limit = 20;
    protected const string Tenant = "contoso";

    protected TStore Store { get; } = new();

    public Task InitializeAsync() => Store.InitializeAsync();

    public Task DisposeAsync() => Store.DisposeAsync();

    /// <summary>
    /// 30 senders, 200 requests; each is in flight up to 300 ms and one in five stalls 1.2 s, and each "arrives" at the
    /// last moment it could (just before its answer is recorded), which is what bunches arrivals at a real Connector.
    /// </summary>
    [Fact]
    public async Task RequestsArrivingAsLateAsTheyCan_NeverPutMoreThanTheLimitIntoOneSecond()
    {
        var arrivals = new ConcurrentBag<DateTimeOffset>();
        var refused = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 30).Select(sender => Task.Run(async () =>
        {
            var random = new Random(sender);
            while (Interlocked.Increment(ref next) < 200)
            {
                long id;
                while (true)
                {
                    var admission = await Window().TryStartAsync(Tenant, Limit);
                    if (admission.Id is { } admitted)
                    {
                        id = admitted;
                        break;
                    }

                    Interlocked.Increment(ref refused);
                    Assert.InRange(admission.RetryAfter, TimeSpan.FromTicks(1), ConnectorRequestWindow.Window + TimeSpan.FromMilliseconds(2));
                    await Task.Delay(admission.RetryAfter);
                }

                await Task.Delay(random.Next(5) == 0 ? 1_200 : random.Next(300));
                arrivals.Add(TimeProvider.System.GetUtcNow());
                await Window().EndAsync(id);
            }
        })));

        var sorted = arrivals.Order().ToList();
        Assert.Equal(200, sorted.Count);
        var most = sorted.Max(start => sorted.Count(a => a >= start && a - start < TimeSpan.FromSeconds(1)));
        Assert.True(most <= Limit, $"{most} requests arrived within one second; the limit is {Limit}.");
        Assert.True(refused > 0, "The senders never pressed on the limit.");
    }

    [Fact]
    public async Task Tenants_HaveWindowsOfTheirOwn()
    {
        for (var i = 0; i < Limit; i++)
        {
            Assert.True((await Window().TryStartAsync(Tenant, Limit)).Admitted);
        }

        Assert.False((await Window().TryStartAsync(Tenant, Limit)).Admitted);
        Assert.True((await Window().TryStartAsync("fabrikam", Limit)).Admitted);
    }

    /// <summary>
    /// Three times the limit ask at the same moment, each on its own context and connection (as separate instances
    /// would), none ever ending: exactly the limit get in. A count and an insert split by another admission would let
    /// more in.
    /// </summary>
    [Fact]
    public async Task AdmissionsAtOnceFromSeparateConnections_AdmitExactlyTheLimit()
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var asking = Enumerable.Range(0, 3 * Limit).Select(_ => Task.Run(async () =>
        {
            var window = Window();
            await go.Task;
            return await window.TryStartAsync(Tenant, Limit);
        })).ToList();
        go.SetResult();
        var answers = await Task.WhenAll(asking);

        Assert.Equal(Limit, answers.Count(a => a.Admitted));
        Assert.Equal(Limit, answers.Select(a => a.Id).OfType<long>().Distinct().Count());
        Assert.All(answers.Where(a => !a.Admitted), a => Assert.True(a.RetryAfter > TimeSpan.Zero));
        Assert.False((await Window().TryStartAsync(Tenant, Limit)).Admitted);
    }

    private ConnectorRequestWindow Window() => new(Store.NewContext(), TimeProvider.System);
}

/// <summary>
/// <see cref="ConnectorRequestWindowTests{TStore}"/> on SQLite, and what only SQLite's admission has to show: times
/// come from the store's <see cref="TimeProvider"/> there, so these step a fake clock (PostgreSQL reads its own, and
/// its admission deletes what stopped counting every time).
/// </summary>
public sealed class SqliteConnectorRequestWindowTests : ConnectorRequestWindowTests<SqliteStore>
{
    [Fact]
    public async Task SteadyAdmission_PurgesRowsThatStoppedCounting()
    {
        var most = 0;
        for (var i = 0; i < 20 * ConnectorRequestWindow.SqlitePurgeEvery; i++)
        {
            var admission = await Window().TryStartAsync(Tenant, Limit);
            Assert.True(admission.Admitted, $"Request {i} was refused though only half the limit is counted.");
            Store.Time.Advance(TimeSpan.FromMilliseconds(100));
            await Window().EndAsync(admission.Id!.Value);
            most = Math.Max(most, await RowsAsync());
        }

        // Ten a second, each counted for a second after it ended: about 10 rows count at any time, and a purge comes
        // every SqlitePurgeEvery admissions.
        Assert.InRange(most, Limit / 2, ConnectorRequestWindow.SqlitePurgeEvery + Limit);
    }

    [Fact]
    public async Task ARequestNeverEnded_StopsCountingAfterInFlightAtMost()
    {
        await FillAsync();
        var refused = await Window().TryStartAsync(Tenant, Limit);
        Assert.False(refused.Admitted);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(1));

        Store.Time.Advance(ConnectorRequestWindow.InFlightAtMost);
        Assert.False((await Window().TryStartAsync(Tenant, Limit)).Admitted);

        Store.Time.Advance(TimeSpan.FromTicks(1));
        await FillAsync();
        Assert.False((await Window().TryStartAsync(Tenant, Limit)).Admitted);
    }

    [Fact]
    public async Task ARefusal_WaitsUntilTheFirstCountedRequestLeavesTheWindow()
    {
        var ids = await FillAsync();
        Store.Time.Advance(TimeSpan.FromMilliseconds(100));
        await Window().EndAsync(ids[7]);
        Store.Time.Advance(TimeSpan.FromMilliseconds(100));
        await Window().EndAsync(ids[3]);
        Store.Time.Advance(TimeSpan.FromMilliseconds(100));

        var refused = await Window().TryStartAsync(Tenant, Limit);

        // The first end was 200 ms ago; it counts for a window after it, and one more millisecond makes sure.
        Assert.Equal(ConnectorRequestWindow.Window - TimeSpan.FromMilliseconds(200) + TimeSpan.FromMilliseconds(1), refused.RetryAfter);
        Store.Time.Advance(refused.RetryAfter - TimeSpan.FromMilliseconds(2));
        Assert.False((await Window().TryStartAsync(Tenant, Limit)).Admitted);
        Store.Time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.True((await Window().TryStartAsync(Tenant, Limit)).Admitted);
        Assert.False((await Window().TryStartAsync(Tenant, Limit)).Admitted);
    }

    private async Task<List<long>> FillAsync()
    {
        var ids = new List<long>();
        for (var i = 0; i < Limit; i++)
        {
            var admission = await Window().TryStartAsync(Tenant, Limit);
            Assert.True(admission.Admitted, $"Request {i} of {Limit} was refused.");
            ids.Add(admission.Id!.Value);
        }

        return ids;
    }

    private async Task<int> RowsAsync()
    {
        await using var db = Store.NewContext();
        return await db.ConnectorRequests.CountAsync();
    }

    private ConnectorRequestWindow Window() => new(Store.NewContext(), Store.Time);
}

/// <summary><see cref="ConnectorRequestWindowTests{TStore}"/> on PostgreSQL.</summary>
public sealed class PostgresConnectorRequestWindowTests : ConnectorRequestWindowTests<PostgresStore>;
