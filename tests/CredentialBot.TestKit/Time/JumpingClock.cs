namespace CredentialBot.TestKit.Time;

/// <summary>
/// A clock that moves only when something waits: every timer fires at once and the clock jumps forward by its wait,
/// plus <c>lateBy</c> (a busy machine that wakes late). Code that waits for times reads the schedule it made
/// without waiting for it.
/// </summary>
public sealed class JumpingClock(DateTimeOffset start, TimeSpan lateBy = default) : TimeProvider
{
    private long _ticks = start.UtcTicks;
    private int _timers;

    /// <summary>Timers started so far.</summary>
    public int Timers => Volatile.Read(ref _timers);

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Increment(ref _timers);
            Interlocked.Add(ref _ticks, (dueTime + lateBy).Ticks);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new Fired();
    }

    private sealed class Fired : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
