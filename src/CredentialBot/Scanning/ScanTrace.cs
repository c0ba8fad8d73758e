using System.Diagnostics;
using CredentialBot.Directory.Diagnostics;
using CredentialBot.Telemetry;

namespace CredentialBot.Scanning;

/// <summary>
/// One scan as telemetry: a <see cref="HostTelemetry.ScanSpan"/> span with what the scan read (Apps, Graph pages and
/// requests, 429s, notices planned) and the scan duration histogram. A scan disposed without <see cref="Finished"/>
/// failed (or was cancelled) and is recorded so.
/// </summary>
public sealed class ScanTrace : IDisposable
{
    private readonly Activity? _span = HostTelemetry.Source.StartActivity(HostTelemetry.ScanSpan);
    private readonly GraphTally _graph = GraphTally.Start();
    private readonly long _started = Stopwatch.GetTimestamp();
    private bool _finished;

    public static ScanTrace Start() => new();

    public void Finished(ScanResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _finished = true;
        var mode = $"{result.ApplicationsMode}/{result.ServicePrincipalsMode}";
        HostTelemetry.ScanObjects.Add(result.Applications, new KeyValuePair<string, object?>(HostTelemetry.CollectionAttribute, "Application"));
        HostTelemetry.ScanObjects.Add(result.ServicePrincipals, new KeyValuePair<string, object?>(HostTelemetry.CollectionAttribute, "ServicePrincipal"));
        HostTelemetry.ScanDuration.Record(result.Duration.TotalSeconds, new KeyValuePair<string, object?>(HostTelemetry.OutcomeAttribute, "succeeded"), new KeyValuePair<string, object?>(HostTelemetry.ScanModeAttribute, mode));
        _span?.SetTag(HostTelemetry.OutcomeAttribute, "succeeded")
            .SetTag(HostTelemetry.ScanModeAttribute, mode)
            .SetTag(HostTelemetry.ScanObjectsAttribute, result.Applications + result.ServicePrincipals)
            .SetTag(HostTelemetry.ScanNoticesAttribute, result.NoticesPlanned);
    }

    public void Dispose()
    {
        _span?.SetTag(HostTelemetry.ScanPagesAttribute, _graph.Pages)
            .SetTag(HostTelemetry.ScanRequestsAttribute, _graph.Requests)
            .SetTag(HostTelemetry.ScanThrottledAttribute, _graph.Throttled);
        if (!_finished)
        {
            HostTelemetry.ScanDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, new KeyValuePair<string, object?>(HostTelemetry.OutcomeAttribute, "failed"));
            _span?.SetTag(HostTelemetry.OutcomeAttribute, "failed").SetStatus(ActivityStatusCode.Error);
        }

        _graph.Dispose();
        _span?.Dispose();
    }
}
