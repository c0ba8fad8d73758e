using CredentialBot.Scanning;
using CredentialBot.Shared.Pipeline;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Tests.Scanning;

/// <summary>
/// The scan steps aside while people wait for the bot: after a batch it rests as long as the batch took (times
/// Scanner:YieldToPeople), and only while someone waits. The clock moves only when the test moves it.
/// </summary>
public sealed class ScanRestTests
{
    private readonly FakeTimeProvider _time = new(TestClock.DefaultStart);
    private readonly PeopleWaiting _people = new();

    [Theory]
    [InlineData(1, 80, 80)]
    [InlineData(2.5, 40, 100)]
    public async Task WhileSomeoneWaits_TheScanRests_ItsBatchsTimeTimesYieldToPeople(double yieldToPeople, int batchMs, int restMs)
    {
        var rest = Rest(yieldToPeople);
        using var person = _people.Begin();

        var resting = rest.AfterBatchAsync(TimeSpan.FromMilliseconds(batchMs), CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(restMs - 1));
        Assert.False(resting.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await resting;
    }

    [Fact]
    public void WithNobodyWaiting_TheScanGoesOnAtOnce()
    {
        var rest = Rest(yieldToPeople: 1);

        // Someone who was answered before the batch ended no longer counts.
        _people.Begin().Dispose();

        Assert.True(rest.AfterBatchAsync(TimeSpan.FromSeconds(1), CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public void WithYieldToPeopleZero_TheScanNeverRests()
    {
        var rest = Rest(yieldToPeople: 0);
        using var person = _people.Begin();

        Assert.True(rest.AfterBatchAsync(TimeSpan.FromSeconds(1), CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task AScanCancelledWhileResting_StopsAtOnce()
    {
        var rest = Rest(yieldToPeople: 1);
        using var person = _people.Begin();
        using var cancel = new CancellationTokenSource();

        var resting = rest.AfterBatchAsync(TimeSpan.FromSeconds(1), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resting);
    }

    [Fact]
    public async Task PeopleAreCountedUntilEachIsAnswered_AndAnsweringTwiceCountsOnce()
    {
        var first = _people.Begin();
        var second = _people.Begin();

        first.Dispose();
        first.Dispose();
        Assert.True(_people.Any);

        second.Dispose();
        Assert.False(_people.Any);

        // Fifty people answered at once, from as many threads, leave nobody counted.
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => _people.Begin().Dispose())));
        Assert.False(_people.Any);
    }

    private ScanRest Rest(double yieldToPeople) =>
        new(_people, _time, Options.Create(new ScannerOptions { YieldToPeople = yieldToPeople }));
}
