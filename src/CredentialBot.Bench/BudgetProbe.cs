using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CredentialBot.Telemetry;

namespace CredentialBot.Bench;

/// <summary>
/// Listens to the host's tenant-budget metrics (<see cref="HostTelemetry.BudgetWaitMetric"/>,
/// <see cref="HostTelemetry.BudgetEventsMetric"/>) in this process, so benchmark (d) can say where a fan-out's time
/// went: waiting for paced slots, waiting for the hard window, slots missed, refusals.
/// </summary>
internal sealed class BudgetProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, (long Count, double Sum, double Max)> _waits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _events = new(StringComparer.Ordinal);

    public BudgetProbe()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HostTelemetry.Name && instrument.Name is HostTelemetry.BudgetWaitMetric or HostTelemetry.BudgetEventsMetric)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var stage = Tag(tags, HostTelemetry.BudgetStageAttribute);
            _waits.AddOrUpdate(stage, (1, value, value), (_, w) => (w.Count + 1, w.Sum + value, Math.Max(w.Max, value)));
        });
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => _events.AddOrUpdate(Tag(tags, HostTelemetry.BudgetEventAttribute), value, (_, n) => n + value));
        _listener.Start();
    }

    /// <summary>One line per stage and event.</summary>
    public IEnumerable<string> Report()
    {
        foreach (var (stage, w) in _waits.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            yield return $"budget wait, {stage + ":",-8} {w.Count:N0} requests, mean {w.Sum / w.Count * 1000:F1} ms, max {w.Max * 1000:F0} ms";
        }

        foreach (var (name, n) in _events.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            yield return $"budget event, {name + ":",-15} {n:N0}";
        }
    }

    public void Dispose() => _listener.Dispose();

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString() ?? "?";
            }
        }

        return "?";
    }
}
