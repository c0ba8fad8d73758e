using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace CredentialBot.Bench;

/// <summary>
/// Every timed request of a load run: its kind, when it started, how long it took and how it ended. A request that
/// threw an <see cref="HttpRequestException"/> or answered with an unexpected status is an error; one that ran past the
/// client's timeout is a timeout.
/// </summary>
internal sealed class LatencyLog
{
    private readonly ConcurrentQueue<Sample> _samples = new();
    private readonly ConcurrentDictionary<string, int> _reasons = new(StringComparer.Ordinal);
    private readonly long _started = Stopwatch.GetTimestamp();

    public IReadOnlyCollection<Sample> Samples => _samples;

    public IReadOnlyDictionary<string, int> ErrorReasons => _reasons;

    /// <summary>Requests the host made to the bench's Connector while this log was kept (where the bench counts them).</summary>
    public long ConnectorRequests { get; set; }

    /// <summary>The CPU time the host used during the phase, on every core.</summary>
    public TimeSpan HostProcessorTime { get; set; }

    /// <summary>The bytes the host allocated during the phase, where they could be counted.</summary>
    public long? HostAllocatedBytes { get; set; }

    /// <summary>Runs and records one request; <paramref name="request"/> returns null when it succeeded, else why not.</summary>
    public async Task<bool> TimeAsync(string kind, Func<Task<string?>> request)
    {
        var at = Stopwatch.GetElapsedTime(_started);
        var start = Stopwatch.GetTimestamp();
        Outcome outcome;
        string? reason = null;
        try
        {
            reason = await request();
            outcome = reason is null ? Outcome.Ok : Outcome.Error;
        }
        catch (TaskCanceledException)
        {
            outcome = Outcome.Timeout;
        }
        catch (HttpRequestException ex)
        {
            outcome = Outcome.Error;
            reason = ex.StatusCode is { } status ? $"HTTP {(int)status}" : ex.HttpRequestError.ToString();
        }

        _samples.Enqueue(new Sample(kind, at, Stopwatch.GetElapsedTime(start).TotalMilliseconds, outcome));
        if (reason is not null)
        {
            _reasons.AddOrUpdate($"{kind}: {reason}", 1, (_, n) => n + 1);
        }

        return outcome == Outcome.Ok;
    }

    /// <summary>The q-quantile (nearest rank) of <paramref name="sorted"/>, in ms; 0 when empty.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Ms(double value) => value.ToString(value < 10 ? "F1" : "F0", CultureInfo.InvariantCulture);

    internal enum Outcome
    {
        Ok,
        Error,
        Timeout,
    }

    internal sealed record Sample(string Kind, TimeSpan At, double Milliseconds, Outcome Outcome);
}
