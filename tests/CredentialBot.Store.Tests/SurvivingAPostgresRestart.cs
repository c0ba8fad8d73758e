using System.Collections.Concurrent;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Logging;
using CredentialBot.TestKit.Postgres;
using CredentialBot.TestKit.Waiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CredentialBot.Store.Tests;

/// <summary>
/// PostgreSQL restarts (or fails over) underneath a running store: operations in flight wait and succeed once it is
/// back, a transaction cut off halfway runs again whole, and nothing is lost or doubled. A private server that the
/// tests stop and restart.
/// </summary>
public sealed class SurvivingAPostgresRestart : IAsyncLifetime
{
    private PostgresCluster _cluster = null!;
    private PostgresStore _store = null!;

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.StartAsync();
        _store = new PostgresStore(_cluster);
        await _store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task OutboxWorkDuringTwoRestarts_GoesOnAfterThem_AndLosesOrDoublesNothing()
    {
        var logs = new LogCapture();
        var held = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var overlaps = new ConcurrentBag<string>();
        using var writing = new CancellationTokenSource();
        var enqueued = 0;
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                Assert.True(await Outbox(logs).EnqueueAsync($"n/{i}", $"person-{i % 60}", "{}"));
                Interlocked.Increment(ref enqueued);
                await Task.Delay(10);
            }
        });
        var claimers = Enumerable.Range(0, 3).Select(c => Task.Run(async () =>
        {
            while (!writing.IsCancellationRequested)
            {
                var claim = await Outbox(logs).ClaimRecipientsAsync($"instance-{c}", 5, TimeSpan.FromMinutes(5));
                var people = claim.Select(m => m.RecipientObjectId).Distinct(StringComparer.Ordinal).ToList();
                overlaps.Add(string.Join(',', people.Where(p => !held.TryAdd(p, $"instance-{c}"))));
                // Held here until just before the store frees the person (their last message marked), never after.
                foreach (var person in people)
                {
                    held.TryRemove(person, out _);
                }

                foreach (var message in claim)
                {
                    await Outbox(logs).MarkSentAsync([message.Id], "a:1");
                }

                await Task.Delay(claim.Count == 0 ? 50 : 0);
            }
        })).ToList();

        try
        {
            for (var restart = 0; restart < 2; restart++)
            {
                var before = Volatile.Read(ref enqueued);
                await Until.TrueAsync(() => Volatile.Read(ref enqueued) >= before + 40, TimeSpan.FromMinutes(3), "40 more messages enqueued");
                await _cluster.RestartAsync();
            }

            await writer;
            // A claim whose commit the restart cut off may have committed without its claimer knowing: those people wait
            // for the claim to lapse, then go out.
            _store.Time.Advance(TimeSpan.FromMinutes(6));
            await using var db = _store.NewContext();
            await Until.TrueAsync(async () => !await db.Outbox.AnyAsync(m => m.Status != OutboxStatus.Sent), TimeSpan.FromMinutes(3), "every message sent");
        }
        finally
        {
            await writing.CancelAsync();
            await Task.WhenAll(claimers);
        }

        await using var check = _store.NewContext();
        Assert.Equal(300, await check.Outbox.CountAsync());
        Assert.Equal(300, await check.Outbox.Select(m => m.DedupKey).Distinct().CountAsync());
        Assert.All(overlaps, o => Assert.Equal(string.Empty, o));
        // The restarts did hit operations in flight, and they were retried rather than failed.
        Assert.Contains(logs.Lines, l => l.Contains("will be retried", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOperationWhileTheServerIsDown_WaitsForIt_AndSucceeds()
    {
        await _cluster.StopAsync();
        var enqueue = Outbox().EnqueueAsync("k1", "alex", "{}");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(enqueue.IsCompleted);

        await _cluster.StartServerAsync();

        Assert.True(await enqueue.WaitAsync(TimeSpan.FromMinutes(1)));
        await using var db = _store.NewContext();
        Assert.Equal(1, await db.Outbox.CountAsync());
    }

    [Fact]
    public async Task ATransactionCutOffHalfway_RunsAgainWhole_AndCommitsOnce()
    {
        await using var db = _store.NewContext();
        var attempts = 0;

        await db.InTransactionAsync(async ct =>
        {
            attempts++;
            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "Leases" ("Name", "Holder", "ExpiresAt") VALUES ('a', 'x', 0)""", ct);
            if (attempts == 1)
            {
                // The server ends this session mid-transaction, as a restart or failover does.
                await KillSessionAsync(db);
            }

            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "Leases" ("Name", "Holder", "ExpiresAt") VALUES ('b', 'x', 0)""", ct);
        });

        Assert.Equal(2, attempts);
        await using var check = _store.NewContext();
        Assert.Equal(["a", "b"], await check.Leases.OrderBy(l => l.Name).Select(l => l.Name).ToListAsync());
    }

    [Fact]
    public async Task ATransactionTheCallerBegan_StillWorks_ButIsNotRetried()
    {
        await using var db = _store.NewContext();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Leases.Add(new LeaseRecord { Name = "own", Holder = "x" });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        // Not retried inside it (a statement cannot be retried in a transaction the failure ended), and not refused
        // up front either, as Npgsql's own retrying strategy refuses any transaction begun outside it.
        await using var doomed = await db.Database.BeginTransactionAsync();
        await KillSessionAsync(db);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => db.Leases.CountAsync());
        Assert.IsAssignableFrom<NpgsqlException>(failure);
    }

    private static async Task KillSessionAsync(CredentialBotDbContext db)
    {
        var pid = ((NpgsqlConnection)db.Database.GetDbConnection()).ProcessID;
        await using var admin = new NpgsqlConnection(db.Database.GetConnectionString());
        await admin.OpenAsync();
        await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", admin);
        kill.Parameters.AddWithValue("pid", pid);
        await kill.ExecuteScalarAsync();
    }

    private Outbox Outbox(ILoggerFactory? logs = null) => new(_store.NewContext(logs), _store.Time);
}
