using CredentialBot.Shared.Messaging;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Tests.Messaging;

/// <summary>
/// The line a process's Connector requests wait in for a place in the store's line of send slots: replies to people go
/// first and are shed when their deadline passes, proactive sends are never shed and never starved, and whoever gives
/// up leaves nothing behind. The clock moves only when the test moves it.
/// </summary>
public sealed class SendLineTests
{
    private readonly FakeTimeProvider _time = new(TestClock.DefaultStart);

    [Fact]
    public async Task WithFreePlaces_EveryoneEntersAtOnce_AndAFullLineMakesTheNextWait()
    {
        var line = new SendLine(places: 2, _time);

        Assert.True(await line.EnterAsync(false, null, CancellationToken.None));
        Assert.True(await line.EnterAsync(true, Due(10), CancellationToken.None));
        var third = line.EnterAsync(false, null, CancellationToken.None);

        Assert.False(third.IsCompleted);
        line.Leave();
        Assert.True(await third);
    }

    [Fact]
    public async Task AReplyStillWaitingAtItsDeadline_IsShed_AndHoldsNoPlace()
    {
        var line = new SendLine(places: 1, _time);
        Assert.True(await line.EnterAsync(false, null, CancellationToken.None));
        var reply = line.EnterAsync(true, Due(5), CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(await reply);
        Assert.Equal(0, line.Waiting);

        // The place the shed reply never held goes to the next one asking.
        var next = line.EnterAsync(false, null, CancellationToken.None);
        line.Leave();
        Assert.True(await next);
    }

    [Fact]
    public async Task AReplyPastItsDeadline_IsShedAtOnce_WhenTheLineIsFull()
    {
        var line = new SendLine(places: 1, _time);
        Assert.True(await line.EnterAsync(false, null, CancellationToken.None));

        Assert.False(await line.EnterAsync(true, _time.GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public async Task ProactiveSends_AreNeverShed_HoweverLongTheyWait()
    {
        var line = new SendLine(places: 1, _time);
        Assert.True(await line.EnterAsync(false, null, CancellationToken.None));
        var digest = line.EnterAsync(false, null, CancellationToken.None);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.False(digest.IsCompleted);
        line.Leave();
        Assert.True(await digest);
    }

    [Fact]
    public async Task Replies_GoBeforeProactiveSends_WhichStillGetOnePlaceInFive()
    {
        var line = new SendLine(places: 1, _time);
        Assert.True(await line.EnterAsync(false, null, CancellationToken.None));
        var digests = Enumerable.Range(0, 3).Select(_ => line.EnterAsync(false, null, CancellationToken.None)).ToList();
        var replies = Enumerable.Range(0, 10).Select(_ => line.EnterAsync(true, Due(60), CancellationToken.None)).ToList();
        List<Task<bool>> all = [.. digests, .. replies];

        var order = new List<int>();
        for (var i = 0; i < all.Count; i++)
        {
            line.Leave();
            var entered = await Task.WhenAny(all.Where((_, index) => !order.Contains(index)));
            Assert.True(await entered);
            order.Add(all.IndexOf(entered));
        }

        // Four replies, then the oldest digest, four replies, the next digest, the last two replies, the last digest.
        // (More replies wait than there are places, so the newest go first, until two are left: then the oldest.)
        Assert.Equal([12, 11, 10, 9, 0, 8, 7, 6, 5, 1, 4, 3, 2], order);
    }

    /// <summary>
    /// What a person waits for without a deadline (Rotate now redraws the card before it shows the new secret) must not
    /// sink under a pile of replies, nor be shed: it goes first, oldest first, however long it waits.
    /// </summary>
    [Fact]
    public async Task WhatAPersonWaitsForWithNoDeadline_GoesBeforeEveryReply_AndIsNeverShed()
    {
        var line = new SendLine(places: 1, _time);
        Assert.True(await line.EnterAsync(false, null, CancellationToken.None));
        var replies = Enumerable.Range(0, 5).Select(_ => line.EnterAsync(true, Due(60), CancellationToken.None)).ToList();
        var redraw = line.EnterAsync(true, null, CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.All(await Task.WhenAll(replies), Assert.False);
        Assert.False(redraw.IsCompleted);

        var moreReplies = Enumerable.Range(0, 5).Select(_ => line.EnterAsync(true, Due(60), CancellationToken.None)).ToList();
        line.Leave();
        Assert.True(await redraw);
        Assert.All(moreReplies, reply => Assert.False(reply.IsCompleted));
    }

    [Fact]
    public async Task InAnOverload_TheNewestReplyGoesFirst_SoItCanStillBeAnsweredInTime()
    {
        var line = new SendLine(places: 2, _time);
        Assert.True(await line.EnterAsync(false, null, CancellationToken.None));
        Assert.True(await line.EnterAsync(false, null, CancellationToken.None));

        // Five replies wait for two places: more than a round of places, so the newest is served first.
        var replies = Enumerable.Range(0, 5).Select(_ => line.EnterAsync(true, Due(60), CancellationToken.None)).ToList();
        line.Leave();
        Assert.True(await replies[4]);
        line.Leave();
        Assert.True(await replies[3]);

        // Three wait now, still more than two places: the newest again. Then two: the oldest first.
        line.Leave();
        Assert.True(await replies[2]);
        line.Leave();
        Assert.True(await replies[0]);
        Assert.False(replies[1].IsCompleted);
    }

    [Fact]
    public async Task ARequestThatGivesUpWhileWaiting_LeavesTheLine_AndItsTurnGoesToTheNext()
    {
        var line = new SendLine(places: 1, _time);
        Assert.True(await line.EnterAsync(false, null, CancellationToken.None));
        using var givesUp = new CancellationTokenSource();
        var gone = line.EnterAsync(true, Due(60), givesUp.Token);
        var next = line.EnterAsync(true, Due(60), CancellationToken.None);

        await givesUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);
        Assert.Equal(1, line.Waiting);

        line.Leave();
        Assert.True(await next);
        Assert.Equal(0, line.Waiting);
    }

    private DateTimeOffset Due(int seconds) => _time.GetUtcNow() + TimeSpan.FromSeconds(seconds);
}
