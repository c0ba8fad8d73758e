using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;

namespace CredentialBot.Store.Tests;

/// <summary>
/// Old secrets waiting for removal after a rotation: one row per secret, however often it is scheduled, each finished
/// once whoever races, and the janitor's pages skip none and include none its owners hold. Run on SQLite and PostgreSQL.
/// </summary>
public abstract class SecretRemovalStoreTests(ITestStore store) : IAsyncLifetime
{
    public Task InitializeAsync() => store.InitializeAsync();

    public Task DisposeAsync() => store.DisposeAsync();

    [Fact]
    public async Task SchedulingTheSameSecretAgain_ReschedulesItsOneRow_AndForgetsTheOwnersEarlierAnswer()
    {
        var now = store.Time.GetUtcNow();
        await using var db = store.NewContext();
        var removals = new SecretRemovalStore(db);
        var first = await removals.ScheduleAsync("app-1", AppKind.Application, "key-1", "prod", now.AddDays(7), "megan", "Megan Bowen", now);
        Assert.True(await removals.AskAsync(first.Id, now.AddDays(-1), now.AddDays(7)));

        var again = await removals.ScheduleAsync("app-1", AppKind.Application, "key-1", "prod v2", now.AddDays(9), "adele", "Adele Vance", now.AddDays(2));

        Assert.Equal(
            new SecretRemoval(first.Id, "app-1", AppKind.Application, "key-1", "prod v2", now.AddDays(9), "adele", "Adele Vance", SecretRemovalStatus.Scheduled, RotatedAt: now.AddDays(2)),
            again);
        await using var check = store.NewContext();
        var stored = new SecretRemovalStore(check);
        Assert.Equal(again, await stored.FindAsync("app-1", "key-1"));
        Assert.Equal(again, Assert.Single(await stored.ScheduledForAsync("app-1")));
        Assert.Null(await stored.FindAsync("app-1", "key-2"));
    }

    [Fact]
    public async Task TenJanitorsFinishingOneRemovalAtOnce_OneFinishesIt_AndItIsDueNoMore()
    {
        var now = store.Time.GetUtcNow();
        var removal = await ScheduleAsync("key-1", now);

        var finished = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            await using var db = store.NewContext();
            return await new SecretRemovalStore(db).FinishAsync(removal.Id, i % 2 == 0 ? SecretRemovalStatus.Removed : SecretRemovalStatus.Cancelled, now);
        }));

        Assert.Single(finished, f => f);
        await using var check = store.NewContext();
        var stored = new SecretRemovalStore(check);
        Assert.NotEqual(SecretRemovalStatus.Scheduled, (await stored.FindAsync("app-1", "key-1"))!.Status);
        Assert.Empty(await stored.DueAsync(now, 10));
        Assert.Empty(await stored.ScheduledForAsync("app-1"));
    }

    [Fact]
    public async Task DueRemovals_ComeInIdOrderPageByPage_WithoutThoseNotDueOrWaitingForTheirOwners()
    {
        var now = store.Time.GetUtcNow();
        var due = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            due.Add((await ScheduleAsync($"due-{i}", now.AddMinutes(-i))).Id);
        }

        await ScheduleAsync("later", now.AddMinutes(1));
        var asked = await ScheduleAsync("asked", now.AddDays(-1));
        await using var db = store.NewContext();
        var removals = new SecretRemovalStore(db);
        Assert.True(await removals.AskAsync(asked.Id, now.AddDays(-2), now));

        var pages = new List<IReadOnlyList<SecretRemoval>>();
        for (long after = 0; await removals.DueAsync(now, 2, after) is { Count: > 0 } page; after = page[^1].Id)
        {
            pages.Add(page);
        }

        Assert.Equal([2, 2, 1], pages.Select(p => p.Count));
        Assert.Equal(due, pages.SelectMany(p => p).Select(r => r.Id));
        Assert.True(await removals.PostponeAsync(asked.Id, now));
        Assert.Equal(asked.Id, (await removals.DueAsync(now, 10))[^1].Id);
    }

    private async Task<SecretRemoval> ScheduleAsync(string keyId, DateTimeOffset dueAt)
    {
        await using var db = store.NewContext();
        return await new SecretRemovalStore(db).ScheduleAsync("app-1", AppKind.Application, keyId, null, dueAt, "megan", "Megan Bowen", dueAt.AddDays(-7));
    }
}
