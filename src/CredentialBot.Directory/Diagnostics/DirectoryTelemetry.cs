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

    /// <summary>Counter of Graph answers with 429 Too Many Requests.</summary>
    public const string ThrottledMetric = "credentialbot.graph.throttled";

    /// <summary>The first path segment after the API version: <c>applications</c>, <c>servicePrincipals</c>, <c>$batch</c>, <c>users</c>…</summary>
    public const string ResourceAttribute = "credentialbot.graph.resource";

    /// <summary>The request's <c>x-ms-throttle-priority</c> (<c>low</c> for the scan, <c>high</c> for a person waiting), or <c>normal</c>.</summary>
    public const string PriorityAttribute = "credentialbot.graph.priority";

    /// <summary>Seconds Graph asked to wait in a 429's Retry-After.</summary>
    public const string RetryAfterAttribute = "credentialbot.graph.retry_after";

    /// <summary>The HTTP method (OpenTelemetry's semantic convention).</summary>
    public const string MethodAttribute = "http.request.method";

    /// <summary>The HTTP status, 0 when no answer came (OpenTelemetry's semantic convention name).</summary>
    public const string StatusCodeAttribute = "http.response.status_code";

    /// <summary>Graph's host (OpenTelemetry's semantic convention).</summary>
    public const string ServerAddressAttribute = "server.address";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Requests = Meter.CreateCounter<long>(RequestsMetric, "{request}", "Graph requests sent, each retry counted.");

    internal static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(RequestDurationMetric, "s", "Time a Graph request took on the wire.");

    internal static readonly Counter<long> Throttled = Meter.CreateCounter<long>(ThrottledMetric, "{request}", "Graph requests answered 429 Too Many Requests.");

    /// <summary>The collection a request is about, from its path; never ids, queries or actions.</summary>
    internal static string ResourceOf(Uri? uri)
    {
        if (uri is null)
        {
            return "unknown";
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var version = Array.FindIndex(segments, s => s is "v1.0" or "beta");
        var index = version + 1;
        return index < segments.Length ? Uri.UnescapeDataString(segments[index]) : "root";
    }
}
