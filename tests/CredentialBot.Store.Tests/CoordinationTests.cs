using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Logging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Store.Tests;

/// <summary>
/// Leases, the outbox's dedup and conversation references: what lets several instances share one store, on SQLite
/// and on PostgreSQL. Races run on separate connections, as separate instances would, and must not log errors.
/// </summary>
public abstract class CoordinationTests<TStore> : IAsyncLifetime
    where TStore : ITestStore, new()
{
    private readonly TStore _store = new();
    private readonly LogCapture _logs = new();

    public Task InitializeAsync() => _store.InitializeAsync();

    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task ALease_HasOneHolder_UntilItExpires()
    {
        Assert.True(await Leases().TryAcquireAsync("scanner", "instance-a", TimeSpan.FromMinutes(5)));
        Assert.False(await Leases().TryAcquireAsync("scanner", "instance-b", TimeSpan.FromMinutes(5)));
        Assert.True(await Leases().TryAcquireAsync("scanner", "instance-a", TimeSpan.FromMinutes(5)));

        _store.Time.Advance(TimeSpan.FromMinutes(6));

        Assert.True(await Leases().TryAcquireAsync("scanner", "instance-b", TimeSpan.FromMinutes(5)));
        Assert.False(await Leases().TryAcquireAsync("scanner", "instance-a", TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task AReleasedLease_IsFreeAtOnce()
    {
        await Leases().TryAcquireAsync("scanner", "instance-a", TimeSpan.FromMinutes(5));

        Assert.Equal(1, await Leases().ReleaseAsync("scanner", "instance-a"));
        Assert.True(await Leases().TryAcquireAsync("scanner", "instance-b", TimeSpan.FromMinutes(5)));
        Assert.Equal(0, await Leases().ReleaseAsync("scanner", "instance-a"));
    }

    [Fact]
    public async Task RacingForAFreeLease_HasExactlyOneWinner_AndLogsNoError()
    {
        var wins = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Leases(_logs).TryAcquireAsync("race", $"instance-{i}", TimeSpan.FromMinutes(5))));

        Assert.Single(wins, won => won);
        Assert.Empty(_logs.AtLeast(LogLevel.Error));
    }

    [Fact]
    public async Task RenewAsync_ByTheHolder_ExtendsTheLease()
    {
        await Leases().TryAcquireAsync("scanner", "instance-a", TimeSpan.FromMinutes(1));
        _store.Time.Advance(TimeSpan.FromSeconds(50));

        Assert.True(await Leases().RenewAsync("scanner", "instance-a", TimeSpan.FromMinutes(1)));
        _store.Time.Advance(TimeSpan.FromSeconds(50));

        Assert.False(await Leases().TryAcquireAsync("scanner", "instance-b", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task RenewAsync_AfterAnotherInstanceTookTheExpiredLease_FailsSoTheOldHolderStops()
    {
        await Leases().TryAcquireAsync("scanner", "instance-a", TimeSpan.FromMinutes(1));
        _store.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.True(await Leases().TryAcquireAsync("scanner", "instance-b", TimeSpan.FromMinutes(1)));

        Assert.False(await Leases().RenewAsync("scanner", "instance-a", TimeSpan.FromMinutes(1)));
        Assert.Equal(0, await Leases().CompleteAsync("scanner", "instance-a"));
        Assert.Null(await Leases().LastCompletedAsync("scanner"));
    }

    [Fact]
    public async Task RenewAsync_AfterRelease_Fails()
    {
        await Leases().TryAcquireAsync("scanner", "instance-a", TimeSpan.FromMinutes(1));
        await Leases().ReleaseAsync("scanner", "instance-a");

        Assert.False(await Leases().RenewAsync("scanner", "instance-a", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task CompleteAsync_FreesTheLease_AndRecordsWhenTheWorkWasDone()
    {
        await Leases().TryAcquireAsync("scanner", "instance-a", TimeSpan.FromMinutes(1));
        _store.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(1, await Leases().CompleteAsync("scanner", "instance-a"));

        Assert.Equal(_store.Time.GetUtcNow(), await Leases().LastCompletedAsync("scanner"));
        Assert.False(await Leases().IsHeldAsync("scanner"));
        Assert.True(await Leases().TryAcquireAsync("scanner", "instance-b", TimeSpan.FromMinutes(1)));
        Assert.True(await Leases().IsHeldAsync("scanner"));
    }

    [Fact]
    public async Task TheOutbox_TakesEachDedupKeyOnce()
    {
        Assert.True(await Outbox().EnqueueAsync("cred-1/stage-7/alex", "alex", "{}"));
        Assert.False(await Outbox().EnqueueAsync("cred-1/stage-7/alex", "alex", "{}"));
        Assert.True(await Outbox().EnqueueAsync("cred-1/stage-1/alex", "alex", "{}"));
    }

    [Fact]
    public async Task RacingEnqueuesOfOneKey_AddItOnce_AndLogNoError()
    {
        var added = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Outbox(_logs).EnqueueAsync("cred-1/stage-7/alex", "alex", "{}")));

        Assert.Single(added, a => a);
        Assert.Empty(_logs.AtLeast(LogLevel.Error));
        await using var db = _store.NewContext();
        Assert.Equal(1, await db.Outbox.CountAsync());
    }

    [Fact]
    public async Task AConversationReference_IsCreatedOnce_ThenUpdated()
    {
        var reference = new ConversationReferenceRecord { ConversationId = "a:1", ConversationType = "personal", UserObjectId = "alex", ServiceUrl = "https://smba.trafficmanager.net/emea/", ChannelId = "msteams" };

        Assert.True(await References().UpsertAsync(reference));
        Assert.False(await References().UpsertAsync(new ConversationReferenceRecord { ConversationId = "a:1", ConversationType = "personal", UserObjectId = "alex", ServiceUrl = "https://smba.trafficmanager.net/amer/", ChannelId = "msteams" }));

        var stored = await References().FindPersonalAsync("alex");
        Assert.Equal("https://smba.trafficmanager.net/amer/", stored!.ServiceUrl);
    }

    [Fact]
    public async Task ARefresh_WritesWhatItSays_EvenWhereItsContextReadTheRowBeforeSomeoneElseChangedIt()
    {
        ConversationReferenceRecord Reference(string serviceUrl, string? userId) =>
            new() { ConversationId = "a:1", ConversationType = "personal", UserObjectId = "alex", UserId = userId, ServiceUrl = serviceUrl, ChannelId = "msteams" };
        var first = References();
        Assert.True(await first.UpsertAsync(Reference("https://smba.trafficmanager.net/amer/", "29:alex")));
        Assert.False(await first.UpsertAsync(Reference("https://smba.trafficmanager.net/amer/", null)));

        Assert.False(await References().UpsertAsync(Reference("https://smba.trafficmanager.net/emea/", null)));
        Assert.False(await first.UpsertAsync(Reference("https://smba.trafficmanager.net/amer/", null)));

        var stored = await References().FindPersonalAsync("alex");
        Assert.Equal("https://smba.trafficmanager.net/amer/", stored!.ServiceUrl);
        // A refresh that does not know the user id keeps the one on record.
        Assert.Equal("29:alex", stored.UserId);
    }

    [Fact]
    public async Task SimultaneousInstallEvents_CreateTheReferenceExactlyOnce_WithoutErrors()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => References(_logs).UpsertAsync(
            new ConversationReferenceRecord { ConversationId = "a:race", ConversationType = "personal", UserObjectId = "alex", ServiceUrl = "http://localhost/_connector", ChannelId = "msteams", UpdatedAt = _store.Time.GetUtcNow() })));

        Assert.Single(created, c => c);
        Assert.Equal(_store.Time.GetUtcNow(), (await References().FindPersonalAsync("alex"))!.UpdatedAt);
        Assert.Empty(_logs.AtLeast(LogLevel.Error));
    }

    [Fact]
    public async Task ARefreshListsUserIds_AreEachPersonsLatestPersonalConversation_ReadInOneStatement()
    {
        var now = _store.Time.GetUtcNow();
        ConversationReferenceRecord Reference(string id, string type, string? person, string? userId, DateTimeOffset at) =>
            new() { ConversationId = id, ConversationType = type, UserObjectId = person, UserId = userId, ServiceUrl = "http://localhost/_connector", ChannelId = "msteams", UpdatedAt = at };
        foreach (var reference in new[]
        {
            Reference("a:old", "personal", "alex", "29:alex-old", now.AddDays(-2)),
            Reference("a:new", "personal", "alex", "29:alex-new", now),
            Reference("19:team", "channel", "alex", "29:alex-channel", now.AddDays(1)),
            Reference("a:megan-old", "personal", "megan", "29:megan-old", now.AddDays(-1)),
            Reference("a:megan", "personal", "megan", null, now),
            Reference("a:adele", "personal", "adele", "29:adele", now),
        })
        {
            await References().UpsertAsync(reference);
        }

        var logs = new LogCapture();
        var userIds = await References(logs).PersonalUserIdsAsync(["alex", "megan", "nestor", "ADELE"]);

        // Megan's latest personal conversation has no user id: as FindPersonalAsync would give it, she is left out.
        Assert.Equal(new Dictionary<string, string> { ["alex"] = "29:alex-new" }, userIds);
        Assert.Equal("29:alex-new", (await References().FindPersonalAsync("alex"))!.UserId);
        Assert.Null((await References().FindPersonalAsync("megan"))!.UserId);
        Assert.Single(logs.Lines, line => line.Contains("Executed DbCommand", StringComparison.Ordinal));
        Assert.Empty(await References().PersonalUserIdsAsync([]));
    }

    private LeaseStore Leases(ILoggerFactory? logs = null) => new(_store.NewContext(logs), _store.Time);

    private Outbox Outbox(ILoggerFactory? logs = null) => new(_store.NewContext(logs), _store.Time);

    private ConversationReferenceStore References(ILoggerFactory? logs = null) => new(_store.NewContext(logs));
}

/// <summary><see cref="CoordinationTests{TStore}"/> on SQLite.</summary>
public sealed class SqliteCoordinationTests : CoordinationTests<SqliteStore>;

/// <summary><see cref="CoordinationTests{TStore}"/> on PostgreSQL.</summary>
public sealed class PostgresCoordinationTests : CoordinationTests<PostgresStore>;
