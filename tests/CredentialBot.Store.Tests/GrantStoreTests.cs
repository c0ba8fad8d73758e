using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;

namespace CredentialBot.Store.Tests;

/// <summary>
/// Grants from approved elevations: only a person's own, unrevoked, unended grant on that App counts as current, and the
/// end of each grant is claimed by exactly one of the instances racing for it. Run on SQLite and PostgreSQL.
/// </summary>
public abstract class GrantStoreTests(ITestStore store) : IAsyncLifetime
{
    public Task InitializeAsync() => store.InitializeAsync();

    public Task DisposeAsync() => store.DisposeAsync();

    [Fact]
    public async Task OnlyThePersonsUnrevokedGrantOnThatApp_ThatHasNotEnded_IsCurrent()
    {
        var now = store.Time.GetUtcNow();
        await AddAsync(
            Grant(1, "app-1", "megan", now.AddHours(-1), now.AddHours(1)),
            Grant(2, "app-1", "megan", now.AddHours(-3), now),
            Grant(3, "app-1", "megan", now.AddHours(-1), now.AddHours(1), revoked: true),
            Grant(4, "app-2", "megan", now.AddHours(-1), now.AddHours(1)),
            Grant(5, "app-1", "adele", now.AddHours(-1), now.AddHours(1)));

        await using var db = store.NewContext();
        var grants = new GrantStore(db);
        var current = Assert.Single(await grants.CurrentForAsync("megan", "app-1", now));
        Assert.Equal(new Grant(current.Id, "app-1", "megan", AppRight.ManageCredentials, now.AddHours(-1), now.AddHours(1)), current);
        Assert.Equal(current, await grants.ForRequestAsync(1));
        Assert.True((await grants.ForRequestAsync(3))!.Revoked);
        Assert.Null(await grants.ForRequestAsync(99));
    }

    [Fact]
    public async Task TenInstancesClaimingEndedGrantsAtOnce_ClaimEachEndOnce_AndNoGrantStillRunning()
    {
        var now = store.Time.GetUtcNow();
        await AddAsync([
            .. Enumerable.Range(1, 5).Select(i => Grant(i, $"app-{i}", "megan", now.AddHours(-2), now.AddMinutes(-i))),
            Grant(6, "app-6", "megan", now.AddHours(-2), now.AddMinutes(1)),
        ]);

        var claimed = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            await using var db = store.NewContext();
            return await new GrantStore(db).ClaimEndedAsync(now);
        }));

        var all = claimed.SelectMany(c => c).ToList();
        Assert.Equal(["app-1", "app-2", "app-3", "app-4", "app-5"], all.Select(g => g.AppObjectId).Order());
        Assert.All(all, g => Assert.Equal(("megan", now.AddHours(-2)), (g.PersonObjectId, g.StartsAt)));
        await using var check = store.NewContext();
        Assert.Empty(await new GrantStore(check).ClaimEndedAsync(now));
        Assert.Equal("app-6", Assert.Single(await new GrantStore(check).ClaimEndedAsync(now.AddMinutes(1))).AppObjectId);
    }

    private static GrantRecord Grant(long requestId, string app, string person, DateTimeOffset starts, DateTimeOffset ends, bool revoked = false) => new()
    {
        RequestId = requestId,
        AppObjectId = app,
        PersonObjectId = person,
        Right = AppRight.ManageCredentials,
        StartsAt = starts,
        EndsAt = ends,
        Revoked = revoked,
    };

    private async Task AddAsync(params GrantRecord[] grants)
    {
        await using var db = store.NewContext();
        db.Grants.AddRange(grants);
        await db.SaveChangesAsync();
    }
}
