using System.Data.Common;
using CredentialBot.Domain;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Store.Tests;

/// <summary>
/// No action without its audit event: an action and its events commit in one transaction or not at all, and appends
/// are serialised so that many users at once neither collide nor lose an event. Attacked with 50+ concurrent users, each
/// on a context of their own, and with failures injected into the database on either side of the change.
/// </summary>
public abstract class AuditedChangeTests<TDatabase> : IAsyncLifetime
    where TDatabase : ITestStore, new()
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
    private readonly TDatabase _database = new();
    private readonly string _folder = AuditedStore.NewFolder();
    private readonly FakeTimeProvider _time = new(Start);
    private AuditedStore _store = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _store = new AuditedStore(_database, _folder, _time);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task SixtySnoozesAndTwentyRefusalsAtOnce_EachSnoozeHasExactlyOneEvent_AndTheChainVerifies()
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var snoozes = Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            await go.Task;
            return await SnoozeAsync($"key-{i}", $"person-{i}");
        }));
        var refusals = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await go.Task;
            return await _store.AppendAsync($"refusal {i}", $"stranger-{i}");
        }));
        var all = Task.WhenAll(snoozes.Concat(refusals));

        go.SetResult();
        var sequences = await all;

        Assert.Equal(Enumerable.Range(1, 80).Select(i => (long)i), sequences.Order());
        await using var db = _database.NewContext();
        var snoozed = await db.CredentialSnoozes.Select(s => s.CredentialKeyId).ToListAsync();
        var events = await db.AuditEvents.Where(e => e.Operation == "SnoozeNotices").Select(e => e.Reason).ToListAsync();
        Assert.Equal(60, snoozed.Count);
        Assert.Equal(snoozed.Order(StringComparer.Ordinal), events.Order(StringComparer.Ordinal));
        Assert.Equal(20, await db.AuditEvents.CountAsync(e => e.Operation == "RotateSecret"));
        await _store.Checkpointer.WriteAsync("test", default);
        var verification = await _store.VerifyAsync();
        Assert.True(verification.Intact, string.Join(" ", verification.Problems));
        Assert.Equal(80, verification.Count);
    }

    [Fact]
    public async Task TenOwnersPausingTheSameCredentialAtOnce_AllSucceed_WithOnePauseAndAnEventEach()
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var owners = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            await go.Task;
            return await SnoozeAsync("key-1", $"person-{i}");
        }));
        var all = Task.WhenAll(owners);

        go.SetResult();
        await all;

        await using var db = _database.NewContext();
        var pause = Assert.Single(await db.CredentialSnoozes.ToListAsync());
        Assert.Equal(("key-1", Start.AddDays(7)), (pause.CredentialKeyId, pause.Until));
        Assert.Equal(10, await db.AuditEvents.CountAsync(e => e.Operation == "SnoozeNotices"));
    }

    [Fact]
    public async Task AScopeThatAuditsHundredsOfThings_KeepsNoneOfItsEventsTracked()
    {
        // Each save of a scope looks at every entity the scope tracks: events kept tracked made a chore that audits
        // thousands of things in one scope slower with every event (the owner-departure look stalled people for seconds).
        var tracked = await _store.InScopeAsync(async sp =>
        {
            var audit = sp.GetRequiredService<AuditLog>();
            for (var i = 0; i < 200; i++)
            {
                await audit.AppendAsync(Snoozed($"key-{i}", "person-alex"));
            }

            await using (var change = await audit.BeginChangeAsync())
            {
                await audit.AppendAsync(Snoozed("in a change", "person-alex"));
                change.Audit(Snoozed("staged", "person-alex"));
                await change.CommitAsync();
            }

            return sp.GetRequiredService<CredentialBotDbContext>().ChangeTracker.Entries().Count();
        });

        Assert.Equal(0, tracked);
        Assert.Equal(202, (await _store.VerifyAsync()).Count);
    }

    [Fact]
    public async Task AnActionWhoseSaveFails_LeavesNeitherTheActionNorItsEvent()
    {
        await InjectFailureAsync("CredentialSnoozes", "CredentialKeyId", "= 'poison'");
        await SnoozeAsync("key-before", "person-alex");

        await AssertStoreFailsAsync(() => _store.InScopeAsync(async sp =>
        {
            await using var change = await sp.GetRequiredService<AuditLog>().BeginChangeAsync();
            change.Audit(Snoozed("poison", "person-alex"));
            await sp.GetRequiredService<SnoozeStore>().SnoozeAsync("obj-1", ["key-ok", "poison"], Start.AddDays(7), "person-alex", "Alex Wilber");
            return await change.CommitAsync();
        }));

        await SnoozeAsync("key-after", "person-alex");
        await using var db = _database.NewContext();
        Assert.Equal(["key-after", "key-before"], await db.CredentialSnoozes.Select(s => s.CredentialKeyId).OrderBy(k => k).ToListAsync());
        Assert.Equal(["key-before", "key-after"], await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Reason).ToListAsync());
        await _store.Checkpointer.WriteAsync("test", default);
        Assert.True((await _store.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task AnAuditEventThatCannotBeSaved_TakesItsActionWithIt()
    {
        await InjectFailureAsync("AuditEvents", "Reason", "= 'poison'");

        await Assert.ThrowsAsync<DbUpdateException>(() => SnoozeAsync("poison", "person-alex"));
        await SnoozeAsync("key-after", "person-alex");

        await using var db = _database.NewContext();
        Assert.Equal(["key-after"], await db.CredentialSnoozes.Select(s => s.CredentialKeyId).ToListAsync());
        Assert.Equal(["key-after"], await db.AuditEvents.Select(e => e.Reason).ToListAsync());
    }

    [Fact]
    public async Task ADecisionRecordedInsideAChange_RollsBackWithItsEvent_AndThenCanStillBeDecided()
    {
        await InjectFailureAsync("AuditEvents", "Reason", "= 'poison'");
        var request = await _store.InScopeAsync(sp => sp.GetRequiredService<AccessRequestStore>().CreateAsync(new AccessRequest(
            0, AccessRequestKind.Elevation, "obj-1", "person-alex", "Alex Wilber", AppRight.ManageCredentials, TimeSpan.FromHours(1), "Release", null, null, AccessRequestStatus.Pending, Start, Start.AddDays(7))));

        Task<bool> DecideAsync(string reason) => _store.InScopeAsync(async sp =>
        {
            var decided = request with { Status = AccessRequestStatus.Approved, DecidedByObjectId = "person-megan", DecidedByName = "Megan Bowen", DecidedAt = Start };
            var grant = new Grant(0, "obj-1", "person-alex", AppRight.ManageCredentials, Start, Start.AddHours(1));
            await using var change = await sp.GetRequiredService<AuditLog>().BeginChangeAsync();
            var recorded = await sp.GetRequiredService<AccessRequestStore>().RecordDecisionAsync(decided, grant);
            change.Audit(new AuditEvent("person-megan", "Megan Bowen", "obj-1", "DecideRequest", "Approved", reason, null, Start));
            await change.CommitAsync();
            return recorded;
        });

        await Assert.ThrowsAsync<DbUpdateException>(() => DecideAsync("poison"));
        await using (var db = _database.NewContext())
        {
            Assert.Equal(AccessRequestStatus.Pending, (await db.AccessRequests.SingleAsync()).Status);
            Assert.Equal(0, await db.Grants.CountAsync());
        }

        Assert.True(await DecideAsync("approved"));
        Assert.False(await DecideAsync("approved again"));
        await using var after = _database.NewContext();
        Assert.Equal(1, await after.Grants.CountAsync());
    }

    [Fact]
    public async Task UnderLoad_FailingActionsLeaveNothing_AndEveryOtherActionHasItsEvent()
    {
        await InjectFailureAsync("CredentialSnoozes", "CredentialKeyId", "LIKE 'poison%'");
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            await go.Task;
            var key = i % 5 == 0 ? $"poison-{i}" : $"key-{i}";
            try
            {
                await SnoozeAsync(key, $"person-{i}");
                return key;
            }
            catch (Exception failed) when (IsStoreFailure(failed))
            {
                return null;
            }
        }));
        var all = Task.WhenAll(attempts);

        go.SetResult();
        var committed = (await all).OfType<string>().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(40, committed.Count);
        await using var db = _database.NewContext();
        Assert.Equal(committed, (await db.CredentialSnoozes.Select(s => s.CredentialKeyId).ToListAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(committed, (await db.AuditEvents.Select(e => e.Reason!).ToListAsync()).Order(StringComparer.Ordinal));
        await _store.Checkpointer.WriteAsync("test", default);
        Assert.True((await _store.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task AuditingThroughAppendWhileAChangeIsOpen_JoinsTheChange_CommittingOrRollingBackWithIt()
    {
        async Task<IReadOnlyList<long>?> ActAsync(string key, bool commit) => await _store.InScopeAsync(async sp =>
        {
            var audit = sp.GetRequiredService<AuditLog>();
            await using var change = await audit.BeginChangeAsync();
            await sp.GetRequiredService<SnoozeStore>().SnoozeAsync("obj-1", [key], Start.AddDays(7), "person-alex", "Alex Wilber");
            await audit.AppendAsync(Snoozed(key, "person-alex"));
            return commit ? await change.CommitAsync() : null;
        });

        Assert.Null(await ActAsync("rolled-back", commit: false));
        Assert.Equal([1L], await ActAsync("committed", commit: true));

        await using var db = _database.NewContext();
        Assert.Equal(["committed"], await db.CredentialSnoozes.Select(s => s.CredentialKeyId).ToListAsync());
        Assert.Equal(["committed"], await db.AuditEvents.Select(e => e.Reason).ToListAsync());
    }

    [Fact]
    public async Task AuditingInsideAnotherTransaction_CommitsOrRollsBackWithThatTransaction()
    {
        await _store.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CredentialBotDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await sp.GetRequiredService<SnoozeStore>().SnoozeAsync("obj-1", ["import"], Start.AddDays(7), "person-alex", "Alex Wilber");
            return await sp.GetRequiredService<AuditLog>().AppendAsync(Snoozed("import", "person-alex"));
        });

        await using var db = _database.NewContext();
        Assert.Empty(await db.CredentialSnoozes.ToListAsync());
        Assert.Empty(await db.AuditEvents.ToListAsync());
    }

    [Fact]
    public async Task AChangeNeverCommitted_LeavesNothing()
    {
        await _store.InScopeAsync(async sp =>
        {
            await using var change = await sp.GetRequiredService<AuditLog>().BeginChangeAsync();
            await sp.GetRequiredService<SnoozeStore>().SnoozeAsync("obj-1", ["key-1"], Start.AddDays(7), "person-alex", "Alex Wilber");
            change.Audit(Snoozed("key-1", "person-alex"));
            return 0;
        });

        await using var db = _database.NewContext();
        Assert.Empty(await db.CredentialSnoozes.ToListAsync());
        Assert.Empty(await db.AuditEvents.ToListAsync());
    }

    [Fact]
    public async Task AChangeWithoutAnAuditEvent_CannotCommit()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => _store.InScopeAsync(async sp =>
        {
            await using var change = await sp.GetRequiredService<AuditLog>().BeginChangeAsync();
            await sp.GetRequiredService<SnoozeStore>().SnoozeAsync("obj-1", ["key-1"], Start.AddDays(7), "person-alex", "Alex Wilber");
            return await change.CommitAsync();
        }));

        Assert.Contains("needs its audit event", refused.Message, StringComparison.Ordinal);
        await using var db = _database.NewContext();
        Assert.Empty(await db.CredentialSnoozes.ToListAsync());
    }

    [Fact]
    public async Task ConfirmingTwiceAtOnce_ExactlyOnePressActs_TheOthersAreToldWhoDidIt()
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var presses = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            await go.Task;
            return await ConfirmImportAsync("card-42", $"admin-{i}", $"Admin {i}");
        }));
        var all = Task.WhenAll(presses);

        go.SetResult();
        var outcomes = await all;

        var winner = Assert.Single(outcomes, o => o.Done is null);
        Assert.All(outcomes.Where(o => o.Done is not null), o => Assert.Equal(winner.By, o.Done!.ByObjectId));
        await using var db = _database.NewContext();
        Assert.Equal(["import card-42"], await db.CredentialSnoozes.Select(s => s.CredentialKeyId).ToListAsync());
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Outcome == "Succeeded"));
        Assert.Equal(7, await db.AuditEvents.CountAsync(e => e.Outcome == "AlreadyDone"));
    }

    [Fact]
    public async Task ARetryAfterTheFirstPressCommitted_ChangesNothing_AndSaysWhoDidItWhen()
    {
        var first = await ConfirmImportAsync("card-7", "megan", "Megan Bowen");
        _time.Advance(TimeSpan.FromMinutes(3));

        var retry = await ConfirmImportAsync("card-7", "alex", "Alex Wilber");

        Assert.Null(first.Done);
        Assert.Equal("already done by Megan Bowen at 2026-12-04 09:00 UTC", retry.Done?.Describe());
        await using var db = _database.NewContext();
        Assert.Equal(1, await db.CredentialSnoozes.CountAsync());
    }

    [Fact]
    public async Task APressWhoseActionFailed_ConsumesNothing_SoTheRetryActs()
    {
        await InjectFailureAsync("CredentialSnoozes", "ByObjectId", "= 'unlucky'");

        await AssertStoreFailsAsync(() => ConfirmImportAsync("card-9", "unlucky", "Unlucky"));
        var retry = await ConfirmImportAsync("card-9", "megan", "Megan Bowen");

        Assert.Null(retry.Done);
        await using var db = _database.NewContext();
        Assert.Equal("megan", (await db.Confirmations.SingleAsync()).ByObjectId);
    }

    [Fact]
    public async Task ConfirmIds_AreHashed_SoAHostileOneIsJustAnotherKey_AndScopesAreSeparate()
    {
        var hostile = new string('x', 100_000) + "'); DROP TABLE \"AuditEvents\"; --";

        Assert.Null((await ConfirmImportAsync(hostile, "megan", "Megan Bowen")).Done);
        Assert.NotNull((await ConfirmImportAsync(hostile, "alex", "Alex Wilber")).Done);
        Assert.Null((await ConfirmImportAsync("card-1", "megan", "Megan Bowen", scope: "PolicySave")).Done);
        Assert.Null((await ConfirmImportAsync("card-1", "megan", "Megan Bowen", scope: "ImportOwners")).Done);
        Assert.Null((await ConfirmImportAsync("card-2", "nameless", null)).Done);
        Assert.Equal("already done by nameless at 2026-12-04 09:00 UTC", (await ConfirmImportAsync("card-2", "other", "Other")).Done?.Describe());

        await using var db = _database.NewContext();
        Assert.All(await db.Confirmations.Select(c => c.Key).ToListAsync(), k => Assert.Equal(64, k.Length));
    }

    /// <summary>The injected failure as the store reports it: EF Core's exception from a save, the provider's from a statement.</summary>
    private static bool IsStoreFailure(Exception failure) => failure is DbUpdateException or DbException;

    private static async Task AssertStoreFailsAsync(Func<Task> action)
    {
        var failure = await Record.ExceptionAsync(action);
        Assert.True(failure is not null && IsStoreFailure(failure), $"Expected the store to refuse the write; got {failure?.GetType().Name ?? "no exception"}.");
    }

    /// <summary>What a host's snooze handler does: the snooze and its event in one change.</summary>
    private Task<long> SnoozeAsync(string key, string person) => _store.InScopeAsync(async sp =>
    {
        await using var change = await sp.GetRequiredService<AuditLog>().BeginChangeAsync();
        await sp.GetRequiredService<SnoozeStore>().SnoozeAsync("obj-1", [key], Start.AddDays(7), person, person);
        change.Audit(Snoozed(key, person));
        return (await change.CommitAsync()).Single();
    });

    /// <summary>What a host's confirm handler does: consume the card's confirm id, act once, audit either way.</summary>
    private Task<(string By, AlreadyConfirmed? Done)> ConfirmImportAsync(string confirmId, string by, string? name, string scope = "ImportOwners") => _store.InScopeAsync(async sp =>
    {
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var change = await sp.GetRequiredService<AuditLog>().BeginChangeAsync();
        var done = await change.ConsumeConfirmationAsync(scope, confirmId, by, name);
        if (done is null)
        {
            // The "import": a row that exists once per confirmed card.
            await sp.GetRequiredService<SnoozeStore>().SnoozeAsync("obj-import", [$"import {confirmId[..Math.Min(confirmId.Length, 100)]}"], now, by, name);
        }

        change.Audit(new AuditEvent(by, name, null, scope, done is null ? "Succeeded" : "AlreadyDone", done?.Describe(), null, now));
        await change.CommitAsync();
        return (by, done);
    });

    private AuditEvent Snoozed(string key, string person) => new(person, person, "obj-1", "SnoozeNotices", "Succeeded", key, null, _time.GetUtcNow());

    /// <summary>A trigger that makes the database refuse inserts into <paramref name="table"/> whose column matches, as a full disk or a constraint would.</summary>
    private async Task InjectFailureAsync(string table, string column, string predicate)
    {
        await using var db = _database.NewContext();
        var condition = $"NEW.\"{column}\" {predicate}";
        if (_database.Provider == StoreProvider.Sqlite)
        {
            await Attacker.ExecuteAsync(db, $"CREATE TRIGGER \"fail_{table}\" BEFORE INSERT ON \"{table}\" WHEN {condition} BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
        }
        else
        {
            await Attacker.ExecuteAsync(db, $"CREATE FUNCTION \"fail_{table}\"() RETURNS trigger AS $$ BEGIN IF {condition} THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;");
            await Attacker.ExecuteAsync(db, $"CREATE TRIGGER \"fail_{table}\" BEFORE INSERT ON \"{table}\" FOR EACH ROW EXECUTE FUNCTION \"fail_{table}\"();");
        }
    }
}

public sealed class SqliteAuditedChanges : AuditedChangeTests<SqliteStore>;

public sealed class PostgresAuditedChanges : AuditedChangeTests<PostgresStore>;
