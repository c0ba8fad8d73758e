using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;

namespace CredentialBot.Store.Tests;

/// <summary>Leases, the outbox and conversation references: what lets several instances share one store.</summary>
public sealed class CoordinationTests : IAsyncLifetime
{
    private readonly SqliteStore _store = new();

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
    }

    [Fact]
    public async Task RacingForAFreeLease_HasExactlyOneWinner()
    {
        var wins = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Leases().TryAcquireAsync("race", $"instance-{i}", TimeSpan.FromMinutes(5))));

        Assert.Single(wins, won => won);
    }

    [Fact]
    public async Task TheOutbox_TakesEachDedupKeyOnce()
    {
        Assert.True(await Outbox().EnqueueAsync("cred-1/stage-7/alex", "alex", "{}"));
        Assert.False(await Outbox().EnqueueAsync("cred-1/stage-7/alex", "alex", "{}"));
        Assert.True(await Outbox().EnqueueAsync("cred-1/stage-1/alex", "alex", "{}"));
    }

    [Fact]
    public async Task AClaimedMessage_IsNotClaimedAgain_UntilTheClaimLapses()
    {
        await Outbox().EnqueueAsync("k1", "alex", "{}");

        var first = await Outbox().ClaimBatchAsync("instance-a", 10, TimeSpan.FromMinutes(1));
        var second = await Outbox().ClaimBatchAsync("instance-b", 10, TimeSpan.FromMinutes(1));
        _store.Time.Advance(TimeSpan.FromMinutes(2));
        var afterCrash = await Outbox().ClaimBatchAsync("instance-b", 10, TimeSpan.FromMinutes(1));

        Assert.Single(first);
        Assert.Empty(second);
        var reclaimed = Assert.Single(afterCrash);
        Assert.Equal(2, reclaimed.Attempts);
    }

    [Fact]
    public async Task ASentMessage_IsDone_AndARetryWaitsForItsTime()
    {
        await Outbox().EnqueueAsync("sent", "alex", "{}");
        await Outbox().EnqueueAsync("retry", "megan", "{}");
        var claimed = await Outbox().ClaimBatchAsync("instance-a", 10, TimeSpan.FromMinutes(1));

        await Outbox().MarkSentAsync(claimed.Single(m => m.DedupKey == "sent").Id, "a:1");
        await Outbox().MarkFailedAsync(claimed.Single(m => m.DedupKey == "retry").Id, OutboxStatus.Failed, "429", _store.Time.GetUtcNow().AddSeconds(30));

        Assert.Empty(await Outbox().ClaimBatchAsync("instance-a", 10, TimeSpan.FromMinutes(1)));
        _store.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("retry", Assert.Single(await Outbox().ClaimBatchAsync("instance-a", 10, TimeSpan.FromMinutes(1))).DedupKey);
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
    public async Task SimultaneousInstallEvents_CreateTheReferenceExactlyOnce_WithoutErrors()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => References().UpsertAsync(
            new ConversationReferenceRecord { ConversationId = "a:race", ConversationType = "personal", UserObjectId = "alex", ServiceUrl = "http://localhost/_connector", ChannelId = "msteams", UpdatedAt = _store.Time.GetUtcNow() })));

        Assert.Single(created, c => c);
        Assert.Equal(_store.Time.GetUtcNow(), (await References().FindPersonalAsync("alex"))!.UpdatedAt);
    }

    private LeaseStore Leases() => new(_store.NewContext(), _store.Time);

    private Outbox Outbox() => new(_store.NewContext(), _store.Time);

    private ConversationReferenceStore References() => new(_store.NewContext());
}
