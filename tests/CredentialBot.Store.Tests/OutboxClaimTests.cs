using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Logging;
using CredentialBot.TestKit.Waiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Store.Tests;

/// <summary>
/// The outbox is claimed by person: a claim takes every due message of up to N people, never part of one person's,
/// and no two claimers (threads here; instances in production) ever hold the same person, so each person gets one
/// digest per scan whoever sends it. A claim that lapses (its sender died) can be claimed again.
/// </summary>
public abstract class OutboxClaimTests<TStore> : IAsyncLifetime
    where TStore : ITestStore, new()
{
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);
    private readonly TStore _store = new();

    public Task InitializeAsync() => _store.InitializeAsync();

    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task AClaimedPerson_IsNotClaimedAgain_UntilTheClaimLapses()
    {
        await Outbox().EnqueueAsync("k1", "alex", "{}");

        var first = await Outbox().ClaimRecipientsAsync("instance-a", 10, TimeSpan.FromMinutes(1));
        var second = await Outbox().ClaimRecipientsAsync("instance-b", 10, TimeSpan.FromMinutes(1));
        _store.Time.Advance(TimeSpan.FromMinutes(2));
        var afterCrash = await Outbox().ClaimRecipientsAsync("instance-b", 10, TimeSpan.FromMinutes(1));

        Assert.Single(first);
        Assert.Empty(second);
        var reclaimed = Assert.Single(afterCrash);
        Assert.Equal(2, reclaimed.Attempts);
        Assert.Equal("instance-b", reclaimed.ClaimedBy);
    }

    [Fact]
    public async Task ASentMessage_IsDone_AndARetryWaitsForItsTime()
    {
        await Outbox().EnqueueAsync("sent", "alex", "{}");
        await Outbox().EnqueueAsync("retry", "megan", "{}");
        var claimed = await Outbox().ClaimRecipientsAsync("instance-a", 10, TimeSpan.FromMinutes(1));

        await Outbox().MarkSentAsync([claimed.Single(m => m.DedupKey == "sent").Id], "a:1");
        await Outbox().MarkFailedAsync([(claimed.Single(m => m.DedupKey == "retry").Id, _store.Time.GetUtcNow().AddSeconds(30))], OutboxStatus.Failed, "429");

        Assert.Empty(await Outbox().ClaimRecipientsAsync("instance-a", 10, TimeSpan.FromMinutes(1)));
        _store.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("retry", Assert.Single(await Outbox().ClaimRecipientsAsync("instance-a", 10, TimeSpan.FromMinutes(1))).DedupKey);
    }

    [Fact]
    public async Task ADigestOfManyNotices_IsMarkedSent_InOneStatement()
    {
        var claimed = await ClaimAsync(Enumerable.Range(0, 40).Select(i => ($"alex/{i}", "alex")));
        var logs = new LogCapture();

        await Outbox(logs).MarkSentAsync([.. claimed.Select(m => m.Id)], "a:1");

        Assert.Single(logs.Lines, line => line.Contains("Executed DbCommand", StringComparison.Ordinal));
        await using var db = _store.NewContext();
        Assert.All(await db.Outbox.ToListAsync(), m => Assert.Equal((OutboxStatus.Sent, "a:1", (string?)null), (m.Status, m.ConversationId, m.ClaimedBy)));
    }

    [Fact]
    public async Task FailedNotices_EachWaitForTheirOwnTime_OneStatementPerTime_AndNoTimeMeansFinal()
    {
        var claimed = await ClaimAsync(Enumerable.Range(0, 9).Select(i => ($"alex/{i}", "alex")));
        var soon = _store.Time.GetUtcNow().AddSeconds(30);
        var later = _store.Time.GetUtcNow().AddMinutes(5);
        var logs = new LogCapture();

        // Six retry soon, two later, one never: three times, so three updates (and the transaction around them).
        await Outbox(logs).MarkFailedAsync([.. claimed.Select((m, i) => (m.Id, i < 6 ? soon : i < 8 ? later : (DateTimeOffset?)null))], OutboxStatus.Failed, new string('x', 2_000));

        Assert.Equal(3, logs.Lines.Count(line => line.Contains("Executed DbCommand", StringComparison.Ordinal) && line.Contains("UPDATE", StringComparison.Ordinal)));
        await using var db = _store.NewContext();
        var rows = await db.Outbox.OrderBy(m => m.Id).ToListAsync();
        Assert.Equal([.. Enumerable.Repeat(OutboxStatus.Pending, 8), OutboxStatus.Failed], rows.Select(m => m.Status));
        Assert.Equal([.. Enumerable.Repeat(soon, 6), later, later], rows.Take(8).Select(m => m.NextAttemptAt));
        Assert.All(rows, m => Assert.Equal((1_024, (string?)null), (m.LastError!.Length, m.ClaimedBy)));
        _store.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(6, (await Outbox().ClaimRecipientsAsync("instance-a", 10, ClaimFor)).Count);
    }

    [Fact]
    public async Task ADigestsMarks_AreAllOrNothing_WhenAStatementAfterTheFirstFails()
    {
        var claimed = await ClaimAsync(Enumerable.Range(0, 4).Select(i => ($"alex/{i}", "alex")));
        var soon = _store.Time.GetUtcNow().AddSeconds(30);
        var later = _store.Time.GetUtcNow().AddMinutes(5);
        using var failing = new CancellationTokenSource();

        // Two retry times, so two updates: the second is cancelled once the first has run.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Outbox(new CancelAfterFirstUpdate(failing)).MarkFailedAsync([.. claimed.Select((m, i) => (m.Id, (DateTimeOffset?)(i < 2 ? soon : later)))], OutboxStatus.Failed, "429", failing.Token));

        await using var db = _store.NewContext();
        Assert.All(await db.Outbox.ToListAsync(), m => Assert.Equal((OutboxStatus.Sending, "instance-a"), (m.Status, m.ClaimedBy)));
    }

    [Fact]
    public async Task UnreachableNotices_KeepTheFirstTimeAdminsWereTold()
    {
        var claimed = await ClaimAsync([("alex/0", "alex"), ("alex/1", "alex")]);
        var retryAt = _store.Time.GetUtcNow().AddHours(1);
        await Outbox().MarkUnreachableAsync([(claimed[0].Id, retryAt)], "RecipientUnreachable: escalated", escalated: true);
        var toldAt = _store.Time.GetUtcNow();
        _store.Time.Advance(TimeSpan.FromHours(2));

        await Outbox().MarkUnreachableAsync([.. claimed.Select(m => (m.Id, retryAt.AddHours(2)))], "RecipientUnreachable: escalated", escalated: true);

        await using var db = _store.NewContext();
        var rows = await db.Outbox.OrderBy(m => m.Id).ToListAsync();
        Assert.All(rows, m => Assert.Equal((OutboxStatus.Unreachable, retryAt.AddHours(2), (string?)null), (m.Status, m.NextAttemptAt, m.ClaimedBy)));
        Assert.Equal([toldAt, _store.Time.GetUtcNow()], rows.Select(m => m.EscalatedAt!.Value));
    }

    [Fact]
    public async Task MarkingNoNotices_WritesNothing()
    {
        var logs = new LogCapture();

        Assert.Equal(0, await Outbox(logs).MarkSentAsync([], "a:1"));
        await Outbox(logs).MarkFailedAsync([], OutboxStatus.Failed, "none");
        await Outbox(logs).MarkUnreachableAsync([], "none", escalated: false);

        Assert.DoesNotContain(logs.Lines, line => line.Contains("Executed DbCommand", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AClaim_TakesEveryDueMessageOfAPerson_AndLimitsPeopleNotMessages()
    {
        await Outbox().EnqueueManyAsync([.. Enumerable.Range(0, 7).Select(i => ($"alex/{i}", "alex", "{}")), ("megan/0", "megan", "{}"), ("lynne/0", "lynne", "{}")]);

        var claim = await Outbox().ClaimRecipientsAsync("instance-a", 1, ClaimFor);

        Assert.Equal(7, claim.Count);
        Assert.All(claim, m => Assert.Equal("alex", m.RecipientObjectId));
        Assert.Equal(["lynne", "megan"], (await Outbox().ClaimRecipientsAsync("instance-a", 5, ClaimFor)).Select(m => m.RecipientObjectId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ANewMessageForAPersonSomeoneHolds_WaitsForThem_AndNeverGoesOutAsASecondDigest()
    {
        await Outbox().EnqueueAsync("alex/1", "alex", "{}");
        var first = await Outbox().ClaimRecipientsAsync("instance-a", 10, TimeSpan.FromMinutes(1));
        await Outbox().EnqueueAsync("alex/2", "alex", "{}");

        Assert.Empty(await Outbox().ClaimRecipientsAsync("instance-b", 10, TimeSpan.FromMinutes(1)));

        await Outbox().MarkSentAsync([Assert.Single(first).Id], "a:1");
        Assert.Equal("alex/2", Assert.Single(await Outbox().ClaimRecipientsAsync("instance-b", 10, TimeSpan.FromMinutes(1))).DedupKey);
    }

    [Fact]
    public async Task ALapsedClaim_IsReclaimedTogetherWithThePersonsNewerMessages()
    {
        await Outbox().EnqueueAsync("alex/1", "alex", "{}");
        await Outbox().ClaimRecipientsAsync("instance-a", 10, TimeSpan.FromMinutes(1));
        await Outbox().EnqueueAsync("alex/2", "alex", "{}");
        _store.Time.Advance(TimeSpan.FromMinutes(2));

        var reclaimed = await Outbox().ClaimRecipientsAsync("instance-b", 10, TimeSpan.FromMinutes(1));

        Assert.Equal(["alex/1", "alex/2"], reclaimed.Select(m => m.DedupKey));
    }

    [Fact]
    public async Task ASenderWhoseClaimLapsedAndWasTakenOver_IsToldNotToSend_AndTheNewHolderIs()
    {
        await Outbox().EnqueueAsync("alex/1", "alex", "{}");
        var slow = await Outbox().ClaimRecipientsAsync("instance-a", 10, TimeSpan.FromMinutes(1));
        _store.Time.Advance(TimeSpan.FromMinutes(2));
        var taken = await Outbox().ClaimRecipientsAsync("instance-b", 10, TimeSpan.FromMinutes(1));

        Assert.False(await Outbox().RenewClaimAsync(slow, TimeSpan.FromMinutes(1)));
        Assert.True(await Outbox().RenewClaimAsync(taken, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task ALapsedClaimNobodyTook_IsStillTheSenders()
    {
        await Outbox().EnqueueAsync("alex/1", "alex", "{}");
        var slow = await Outbox().ClaimRecipientsAsync("instance-a", 10, TimeSpan.FromMinutes(1));
        _store.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.True(await Outbox().RenewClaimAsync(slow, TimeSpan.FromMinutes(1)));
        Assert.Empty(await Outbox().ClaimRecipientsAsync("instance-b", 10, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task ALapsedClaimTheSameInstanceClaimedAgain_IsSentOnlyByTheNewerClaim()
    {
        await Outbox().EnqueueAsync("alex/1", "alex", "{}");
        var first = await Outbox().ClaimRecipientsAsync("instance-a", 10, TimeSpan.FromMinutes(1));
        _store.Time.Advance(TimeSpan.FromMinutes(2));
        var second = await Outbox().ClaimRecipientsAsync("instance-a", 10, TimeSpan.FromMinutes(1));

        Assert.False(await Outbox().RenewClaimAsync(first, TimeSpan.FromMinutes(1)));
        Assert.True(await Outbox().RenewClaimAsync(second, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task AClaimRenewedTwice_StaysTheSenders_AndASentMessageIsNoLongerClaimed()
    {
        await Outbox().EnqueueAsync("alex/1", "alex", "{}");
        var claimed = await Outbox().ClaimRecipientsAsync("instance-a", 10, TimeSpan.FromMinutes(1));

        Assert.True(await Outbox().RenewClaimAsync(claimed, TimeSpan.FromMinutes(1)));
        _store.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await Outbox().RenewClaimAsync(claimed, TimeSpan.FromMinutes(1)));
        await Outbox().MarkSentAsync([claimed[0].Id], "a:alex");
        Assert.False(await Outbox().RenewClaimAsync(claimed, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task ARenewedClaim_CannotBeTakenOver_UntilTheRenewalLapses()
    {
        await Outbox().EnqueueAsync("alex/1", "alex", "{}");
        var claimed = await Outbox().ClaimRecipientsAsync("instance-a", 10, TimeSpan.FromMinutes(1));
        _store.Time.Advance(TimeSpan.FromSeconds(50));

        Assert.True(await Outbox().RenewClaimAsync(claimed, TimeSpan.FromMinutes(1)));
        _store.Time.Advance(TimeSpan.FromSeconds(50));

        Assert.Empty(await Outbox().ClaimRecipientsAsync("instance-b", 10, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task PeopleAreTakenOldestMessageFirst()
    {
        await Outbox().EnqueueAsync("zoe/1", "zoe", "{}");
        await Outbox().EnqueueAsync("adam/1", "adam", "{}");
        await Outbox().EnqueueAsync("zoe/2", "zoe", "{}");

        Assert.Equal(["zoe", "zoe"], (await Outbox().ClaimRecipientsAsync("instance-a", 1, ClaimFor)).Select(m => m.RecipientObjectId));
    }

    /// <summary>
    /// Issue 12's case: 818 people with 1–3 notices each, claimed in rounds smaller than the total. Claims of 500
    /// rows split about 1 person in 7 over two claims (two or three cards each); claims of people never do.
    /// </summary>
    [Fact]
    public async Task ClaimsSmallerThanTheOutbox_NeverSplitAPerson()
    {
        var expected = await EnqueuePeopleAsync(people: 818);

        var claims = new List<IReadOnlyList<OutboxMessageRecord>>();
        while (await Outbox().ClaimRecipientsAsync("instance-a", 100, ClaimFor) is { Count: > 0 } claim)
        {
            claims.Add(claim);
        }

        AssertEachPersonInExactlyOneWholeClaim(expected, claims);
    }

    [Fact]
    public async Task ConcurrentClaimers_NeverShareAPerson_AndTogetherTakeEverything()
    {
        var expected = await EnqueuePeopleAsync(people: 400);
        var logs = new LogCapture();

        const int Claimers = 6;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Every claimer's first claim races the others', and only then do they drain the rest: on SQLite's single
        // writer, one busy claimer could otherwise take everything before the others were even scheduled.
        var firstClaimsDone = 0;
        var allClaimedOnce = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var claimers = Enumerable.Range(0, Claimers).Select(i => Task.Run(async () =>
        {
            var claims = new List<IReadOnlyList<OutboxMessageRecord>>();
            var outbox = Outbox(logs);
            await start.Task;
            var claim = await outbox.ClaimRecipientsAsync($"instance-{i}", 3, ClaimFor);
            if (Interlocked.Increment(ref firstClaimsDone) == Claimers)
            {
                allClaimedOnce.SetResult();
            }

            await allClaimedOnce.Task;
            while (claim is { Count: > 0 })
            {
                claims.Add(claim);
                claim = await outbox.ClaimRecipientsAsync($"instance-{i}", 3, ClaimFor);
            }

            return claims;
        })).ToList();
        start.SetResult();
        var perClaimer = await Task.WhenAll(claimers);

        AssertEachPersonInExactlyOneWholeClaim(expected, [.. perClaimer.SelectMany(c => c)]);
        Assert.True(perClaimer.Count(c => c.Count > 0) > 1, "The claimers did not overlap, so nothing was attacked.");
        Assert.Empty(logs.AtLeast(LogLevel.Error));
    }

    [Fact]
    public async Task ClaimersRacingWithNewMessages_NeverHoldOnePersonTwice()
    {
        var logs = new LogCapture();
        using var done = new CancellationTokenSource();
        var held = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var violations = new System.Collections.Concurrent.ConcurrentBag<string>();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                await Outbox(logs).EnqueueAsync($"n/{i}", $"person-{i % 40}", "{}");
            }
        });
        var claimers = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                var claim = await Outbox(logs).ClaimRecipientsAsync($"instance-{c}", 5, ClaimFor);
                foreach (var person in claim.Select(m => m.RecipientObjectId).Distinct(StringComparer.Ordinal))
                {
                    if (!held.TryAdd(person, $"instance-{c}"))
                    {
                        violations.Add(person);
                    }
                }

                // Sending takes a moment. The person counts as held here until just before the store frees them (their
                // last message marked), never after: another claimer may take them at once.
                await Task.Yield();
                foreach (var person in claim.Select(m => m.RecipientObjectId).Distinct(StringComparer.Ordinal))
                {
                    held.TryRemove(person, out _);
                }

                foreach (var message in claim)
                {
                    await Outbox(logs).MarkSentAsync([message.Id], "a:1");
                }
            }
        })).ToList();

        try
        {
            await writer;
            await using var db = _store.NewContext();
            await Until.TrueAsync(async () => !await db.Outbox.AnyAsync(m => m.Status != OutboxStatus.Sent), TimeSpan.FromMinutes(2), "every message sent");
        }
        finally
        {
            await done.CancelAsync();
            await Task.WhenAll(claimers);
        }

        Assert.Empty(violations);
        Assert.Empty(logs.AtLeast(LogLevel.Error));
        await using var check = _store.NewContext();
        Assert.Equal(300, await check.Outbox.CountAsync(m => m.Status == OutboxStatus.Sent && m.Attempts == 1));
    }

    private static void AssertEachPersonInExactlyOneWholeClaim(Dictionary<string, int> expected, IReadOnlyList<IReadOnlyList<OutboxMessageRecord>> claims)
    {
        var claimsPerPerson = claims.SelectMany(c => c.Select(m => m.RecipientObjectId).Distinct(StringComparer.Ordinal)).GroupBy(p => p, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var split = claimsPerPerson.Where(p => p.Value > 1).Select(p => p.Key).ToList();
        Assert.True(split.Count == 0, $"{split.Count} of {expected.Count} people were split over several claims, e.g. {string.Join(", ", split.Take(5))}.");
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), claimsPerPerson.Keys.Order(StringComparer.Ordinal));
        var messagesPerPerson = claims.SelectMany(c => c).GroupBy(m => m.RecipientObjectId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.Equal(expected, messagesPerPerson);
        Assert.Equal(claims.Sum(c => c.Count), claims.SelectMany(c => c).Select(m => m.Id).Distinct().Count());
    }

    [Fact]
    public async Task EnqueuingMany_AddsOnlyKeysNotYetStored_TheFirstOfEachKey_AndCountsWhatItAdded()
    {
        await Outbox().EnqueueAsync("app-1/key-1/7/alex", "alex", "stored first");

        var added = await Outbox().EnqueueManyAsync([
            ("app-1/key-1/7/alex", "alex", "planned again"),
            ("app-2/key-1/7/alex", "alex", "first of two"),
            ("app-2/key-1/7/alex", "alex", "second of two"),
            ("app-3/key-1/7/megan", "megan", "new person"),
        ]);

        Assert.Equal(2, added);
        await using var db = _store.NewContext();
        var stored = await db.Outbox.AsNoTracking().OrderBy(m => m.DedupKey).ToListAsync();
        Assert.Equal(["stored first", "first of two", "new person"], stored.Select(m => m.Payload));
        Assert.All(stored, m => Assert.Equal((OutboxStatus.Pending, 0, _store.Time.GetUtcNow()), (m.Status, m.Attempts, m.NextAttemptAt)));
        Assert.Equal(["alex", "megan"], (await db.OutboxRecipients.AsNoTracking().Select(r => r.RecipientObjectId).ToListAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WritersEnqueuingTheSameNotices_AtOnce_InDifferentOrders_StoreEachOnce_AndNoneFails()
    {
        var notices = Enumerable.Range(0, 1000).Select(i => ($"app-{i}/key/7/person-{i % 37}", $"person-{i % 37}", "{}")).ToList();

        var added = await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            await using var db = _store.NewContext();
            return await new Outbox(db, _store.Time).EnqueueManyAsync([.. notices.OrderBy(n => (n.Item1.GetHashCode(StringComparison.Ordinal) * (writer + 1)) ^ writer)]);
        })));

        Assert.Equal(notices.Count, added.Sum());
        await using var check = _store.NewContext();
        Assert.Equal(notices.Count, await check.Outbox.CountAsync());
        Assert.Equal(37, await check.OutboxRecipients.CountAsync());
    }

    /// <summary>People with 1, 2 or 3 notices each, interleaved the way a scan plans them (app by app, not person by person).</summary>
    private async Task<Dictionary<string, int>> EnqueuePeopleAsync(int people)
    {
        var notices = new List<(string DedupKey, string RecipientObjectId, string Payload)>();
        for (var round = 0; round < 3; round++)
        {
            for (var p = 0; p < people; p++)
            {
                if (round < 1 + (p % 3))
                {
                    notices.Add(($"app-{round}-{p}/stage-7/person-{p}", $"person-{p}", "{}"));
                }
            }
        }

        await using var db = _store.NewContext();
        await new Outbox(db, _store.Time).EnqueueManyAsync(notices);
        return notices.GroupBy(n => n.RecipientObjectId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    private Outbox Outbox(ILoggerFactory? logs = null) => new(_store.NewContext(logs), _store.Time);

    /// <summary>Cancels <paramref name="failing"/> as soon as EF Core reports an UPDATE executed: the next statement fails.</summary>
    private sealed class CancelAfterFirstUpdate(CancellationTokenSource failing) : ILoggerFactory, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = formatter(state, exception);
            if (line.Contains("Executed DbCommand", StringComparison.Ordinal) && line.Contains("UPDATE", StringComparison.Ordinal))
            {
                failing.Cancel();
            }
        }

        public void Dispose()
        {
        }
    }

    private async Task<IReadOnlyList<OutboxMessageRecord>> ClaimAsync(IEnumerable<(string DedupKey, string Recipient)> messages)
    {
        await Outbox().EnqueueManyAsync([.. messages.Select(m => (m.DedupKey, m.Recipient, "{}"))]);
        return await Outbox().ClaimRecipientsAsync("instance-a", 10, ClaimFor);
    }
}

/// <summary><see cref="OutboxClaimTests{TStore}"/> on SQLite.</summary>
public sealed class SqliteOutboxClaimTests : OutboxClaimTests<SqliteStore>;

/// <summary><see cref="OutboxClaimTests{TStore}"/> on PostgreSQL.</summary>
public sealed class PostgresOutboxClaimTests : OutboxClaimTests<PostgresStore>;
