using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.TestKit.Time;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that says when a timer is created on it and for how long. Background loops create
/// their next timer after finishing a round; advancing the clock before that timer exists would fire nothing, and the
/// round would silently slip. So a test waits for the timer (<see cref="TimerCreatedAsync"/>), then advances.
/// </summary>
public sealed class WatchedClock : TimeProvider
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public WatchedClock(FakeTimeProvider? fake = null) => Fake = fake ?? new FakeTimeProvider(TestClock.DefaultStart);

    /// <summary>The clock itself: advance it here.</summary>
    public FakeTimeProvider Fake { get; }

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Fake.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits (at most 30 s of real time) until a timer due in <paramref name="dueTime"/> is created, skipping others.</summary>
    public async Task TimerCreatedAsync(TimeSpan? dueTime = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                var created = await _created.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                if (dueTime is null || created == dueTime)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No timer{(dueTime is { } due ? $" due in {due}" : string.Empty)} was created on the clock.");
        }
    }
}
