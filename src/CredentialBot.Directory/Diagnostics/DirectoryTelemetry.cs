using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CredentialBot.Directory.Diagnostics;

/// <summary>
/// The directory's traces and metrics, every name in one place: one span per Graph request as it leaves the SDK's
/// handler chain (each retry its own), with what it cost in 429s. Attributes carry the method, the collection, the
/// status and the throttle priority: never a query, a body or a token.
/// </summary>
public static class DirectoryTelemetry
{
    /// <summary>The name of the library's activity source and meter.</summary>
    public const string Name = "CredentialBot.Directory";

    /// <summary>The span of one Graph request on the wire.</summary>
    public const string RequestSpan = "graph.request";

    /// <summary>Counter of Graph requests, by method, resource, status and priority.</summary>
    public const string RequestsMetric = "credentialbot.graph.requests";

    /// <summary>Histogram of a Graph request's time on the wire, in seconds.</summary>
    public const string RequestDurationMetric = "credentialbot.graph.request.duration";

    /// <summary>Counter of Graph answers with 429 Too Many Requests, on the wire or to a request inside a <c>$batch</c>.</summary>
    public const string ThrottledMetric = "credentialbot.graph.throttled";

    /// <summary>The first path segment after the API version: <c>applications</c>, <c>servicePrincipals</c>, <c>$batch</c>, <c>users</c>…</summary>
    public const string ResourceAttribute = "credentialbot.graph.resource";

    /// <summary>The request's <c>x-ms-throttle-priority</c> (<c>low</c> for the scan, <c>high</c> for a person waiting), or <c>normal</c>.</summary>
    public const string PriorityAttribute = "credentialbot.graph.priority";

    /// <summary>Seconds Graph asked to wait in a 429's Retry-After.</summary>
    public const string RetryAfterAttribute = "credentialbot.graph.retry_after";

    /// <summary>True on a 429 that answered one request inside a <c>$batch</c>.</summary>
    public const string InBatchAttribute = "credentialbot.graph.in_batch";

    /// <summary>The span event for a request inside a <c>$batch</c> answered 429.</summary>
    public const string ThrottledInBatchEvent = "graph.throttled_in_batch";

    /// <summary>The HTTP method (OpenTelemetry's semantic convention).</summary>
    public const string MethodAttribute = "http.request.method";

    /// <summary>The HTTP status, 0 when no answer came (OpenTelemetry's semantic convention name).</summary>
    public const string StatusCodeAttribute = "http.response.status_code";

    /// <summary>Graph's host (OpenTelemetry's semantic convention).</summary>
    public const string ServerAddressAttribute = "server.address";

    /// <summary>Graph's port (OpenTelemetry's semantic convention).</summary>
    public const string ServerPortAttribute = "server.port";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Requests = Meter.CreateCounter<long>(RequestsMetric, "{request}", "Graph requests sent, each retry counted.");

    internal static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(RequestDurationMetric, "s", "Time a Graph request took on the wire.");

    internal static readonly Counter<long> Throttled = Meter.CreateCounter<long>(ThrottledMetric, "{request}", "Graph requests answered 429 Too Many Requests.");

    /// <summary>The collection a request is about, from its path; never ids, queries or actions.</summary>
    internal static string ResourceOf(Uri? uri) => uri is null ? "unknown" : ResourceOf(uri.AbsolutePath);

    /// <summary>The collection a path (with or without its query) is about.</summary>
    internal static string ResourceOf(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var segments = (query < 0 ? path : path[..query]).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var version = Array.FindIndex(segments, s => s is "v1.0" or "beta");
        var index = version + 1;
        return index < segments.Length ? Uri.UnescapeDataString(segments[index]) : "root";
    }

    /// <summary>
    /// A request inside a <c>$batch</c> that Graph answered 429 while the batch itself succeeded: counted as throttled
    /// (in the metric and the current <see cref="GraphTally"/>) and marked on the current span.
    /// </summary>
    internal static void RecordThrottledInBatch(string url, string? priority)
    {
        var resource = ResourceOf(url);
        Throttled.Add(1, new TagList
        {
            { MethodAttribute, "GET" },
            { ResourceAttribute, resource },
            { PriorityAttribute, priority ?? "normal" },
            { InBatchAttribute, true },
        });
        GraphTally.Current?.ThrottledInBatch();
        Activity.Current?.AddEvent(new ActivityEvent(ThrottledInBatchEvent, tags: new ActivityTagsCollection { [ResourceAttribute] = resource }));
    }
}
