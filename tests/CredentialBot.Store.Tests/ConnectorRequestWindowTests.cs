using System.Collections.Concurrent;
using CredentialBot.Store.Services;

namespace CredentialBot.Store.Tests;

/// <summary>
/// The tenant's hard limit at the receiving end: requests admitted by the store, however late each arrives between its
/// admission and its answer, never put more than the limit into any one-second window. Real time (PostgreSQL reads
/// its own clock), many concurrent senders on separate contexts as separate instances would be.
/// </summary>
public abstract class ConnectorRequestWindowTests<TStore> : IAsyncLifetime
    where TStore : ITestStore, new()
{
    private const int Limit = 20;
    private const string Tenant = "contoso";
    private readonly TStore _store = new();

    public Task InitializeAsync() => _store.InitializeAsync();

    public Task DisposeAsync() => _store.DisposeAsync();

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

    private ConnectorRequestWindow Window() => new(_store.NewContext(), TimeProvider.System);
}

/// <summary><see cref="ConnectorRequestWindowTests{TStore}"/> on SQLite.</summary>
public sealed class SqliteConnectorRequestWindowTests : ConnectorRequestWindowTests<SqliteStore>;

/// <summary><see cref="ConnectorRequestWindowTests{TStore}"/> on PostgreSQL.</summary>
public sealed class PostgresConnectorRequestWindowTests : ConnectorRequestWindowTests<PostgresStore>;
