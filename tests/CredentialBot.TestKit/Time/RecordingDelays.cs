using System.Collections.Concurrent;

namespace CredentialBot.TestKit.Time;

/// <summary>
/// A clock whose timers fire at once and record what they were asked to wait, so retry delays can be asserted
/// without waiting for them.
/// </summary>
public sealed class RecordingDelays : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _delays = new();
    private readonly DateTimeOffset? _frozenAt;

    /// <summary>With <paramref name="frozenAt"/>, the clock also stands still, so every delay is measured from one instant.</summary>
    public RecordingDelays(DateTimeOffset? frozenAt = null) => _frozenAt = frozenAt;

    public override DateTimeOffset GetUtcNow() => _frozenAt ?? base.GetUtcNow();

    public IReadOnlyList<TimeSpan> Delays => [.. _delays];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _delays.Enqueue(dueTime);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new NoTimer();
    }

    private sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
