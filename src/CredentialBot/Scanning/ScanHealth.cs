namespace CredentialBot.Scanning;

/// <summary>
/// How this instance's scans have gone: the last success, and since then the failures in a row, the last one's reason
/// and when the next attempt is due. A failing scan backs off (5 s, doubling, at most 10 minutes) instead of stopping
/// the host; readiness (<see cref="ScanHealthCheck"/>) reports it.
/// </summary>
public sealed class ScanHealth(TimeProvider time)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(10);
    private readonly Lock _gate = new();
    private State _state = new(null, 0, null, null, null);

    /// <summary>A snapshot of the state, read together.</summary>
    public State Current
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The wait after <paramref name="failures"/> failures in a row.</summary>
    public static TimeSpan BackoffAfter(int failures) =>
        failures <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(failures - 1, 16)));

    public void Succeeded()
    {
        lock (_gate)
        {
            _state = new State(time.GetUtcNow(), 0, null, null, null);
        }
    }

    /// <summary>Records a failure and returns when the next attempt is due.</summary>
    public DateTimeOffset Failed(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        lock (_gate)
        {
            var failures = _state.FailuresInARow + 1;
            var now = time.GetUtcNow();
            var retryAt = now + BackoffAfter(failures);
            _state = _state with { FailuresInARow = failures, LastFailedAt = now, LastFailure = Describe(exception), RetryAt = retryAt };
            return retryAt;
        }
    }

    /// <summary>Whether a new attempt should wait (a failure's backoff is still running).</summary>
    public bool IsBackingOff => Current.RetryAt is { } retryAt && time.GetUtcNow() < retryAt;

    /// <summary>The reason without inner detail: the exception's kind and message (Graph and the network say what failed there).</summary>
    private static string Describe(Exception exception) => $"{exception.GetType().Name}: {exception.Message}";

    /// <param name="LastSucceededAt">When a scan of this instance last succeeded (null: not yet).</param>
    /// <param name="FailuresInARow">Failures since then.</param>
    /// <param name="LastFailedAt">When the last of them happened.</param>
    /// <param name="LastFailure">Its reason.</param>
    /// <param name="RetryAt">When the next attempt is due.</param>
    public sealed record State(DateTimeOffset? LastSucceededAt, int FailuresInARow, DateTimeOffset? LastFailedAt, string? LastFailure, DateTimeOffset? RetryAt);
}
