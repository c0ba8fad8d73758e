using System.Diagnostics;
using System.Diagnostics.Metrics;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.BotFramework.Diagnostics;

/// <summary>
/// The library's traces and metrics, every name in one place. A host that exports telemetry listens to
/// <see cref="Name"/> (both the <see cref="ActivitySource"/> and the <see cref="Meter"/>). Attributes carry route keys,
/// outcomes and status codes only: never card data, message text, tokens or ids a person typed.
/// </summary>
public static class BotTelemetry
{
    /// <summary>The name of the library's activity source and meter.</summary>
    public const string Name = "CredentialBot.BotFramework";

    /// <summary>The span of one routed activity.</summary>
    public const string ActivitySpan = "bot.activity";

    /// <summary>Counter of activities received, routed or refused (the request rate).</summary>
    public const string ActivitiesMetric = "credentialbot.bot.activities";

    /// <summary>Histogram of the time an invoke took to answer, in seconds.</summary>
    public const string InvokeDurationMetric = "credentialbot.bot.invoke.duration";

    /// <summary>Counter of Connector calls retried (429, 412, 5xx), by status.</summary>
    public const string ConnectorRetriesMetric = "credentialbot.connector.retries";

    /// <summary>The span event added for each retried Connector call.</summary>
    public const string ConnectorRetryEvent = "connector.retry";

    /// <summary>What the route key names: Activity, Invoke, CardAction or MessageExtension.</summary>
    public const string RouteKindAttribute = "credentialbot.route.kind";

    /// <summary>The route key's name (activity type, invoke name, verb, command id); <see cref="Unrouted"/> when no route matched.</summary>
    public const string RouteKeyAttribute = "credentialbot.route.key";

    /// <summary>How the activity ended: see <see cref="OutcomeOf"/>.</summary>
    public const string OutcomeAttribute = "credentialbot.outcome";

    /// <summary>The HTTP status of the answer, or of a retried Connector call.</summary>
    public const string StatusCodeAttribute = "http.response.status_code";

    /// <summary>The route key recorded for names nobody routes, so a caller cannot mint new metric series.</summary>
    public const string Unrouted = "(unrouted)";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Activities = Meter.CreateCounter<long>(ActivitiesMetric, "{activity}", "Activities received, by route and outcome.");

    internal static readonly Histogram<double> InvokeDuration = Meter.CreateHistogram<double>(InvokeDurationMetric, "s", "Time to answer an invoke.");

    internal static readonly Counter<long> ConnectorRetries = Meter.CreateCounter<long>(ConnectorRetriesMetric, "{retry}", "Connector calls retried, by status.");

    /// <summary>
    /// An answer's outcome: <c>ok</c> (2xx), <c>bad_request</c> (400), <c>refused</c> (401/403, and 413/415 at the edge),
    /// <c>not_implemented</c> (501), <c>error</c> (any other 5xx, or a handler that threw), <c>failed</c> (other 4xx).
    /// </summary>
    public static string OutcomeOf(int status) => status switch
    {
        >= 200 and < 300 => "ok",
        400 => "bad_request",
        401 or 403 or 413 or 415 => "refused",
        501 => "not_implemented",
        >= 500 => "error",
        _ => "failed",
    };

    /// <summary>Records one activity's end on its span (when one is recorded) and in the metrics.</summary>
    internal static void Record(Activity? span, RouteKey? key, bool routed, int status, TimeSpan elapsed)
    {
        var kind = key?.Kind.ToString() ?? "None";
        var name = key is { } k && routed ? k.Name : Unrouted;
        var outcome = OutcomeOf(status);
        var tags = new TagList
        {
            { RouteKindAttribute, kind },
            { RouteKeyAttribute, name },
            { OutcomeAttribute, outcome },
        };
        Activities.Add(1, tags);
        if (key is { Kind: not RouteKind.Activity })
        {
            InvokeDuration.Record(elapsed.TotalSeconds, tags);
        }

        if (span is not null)
        {
            span.SetTag(RouteKindAttribute, kind);
            span.SetTag(RouteKeyAttribute, name);
            span.SetTag(OutcomeAttribute, outcome);
            span.SetTag(StatusCodeAttribute, status);
            if (status >= 500)
            {
                span.SetStatus(ActivityStatusCode.Error);
            }
        }
    }

    /// <summary>Counts a Connector retry and marks it on the current span.</summary>
    internal static void RecordConnectorRetry(int status, int attempt)
    {
        ConnectorRetries.Add(1, new KeyValuePair<string, object?>(StatusCodeAttribute, status));
        Activity.Current?.AddEvent(new ActivityEvent(ConnectorRetryEvent, tags: new ActivityTagsCollection
        {
            [StatusCodeAttribute] = status,
            ["credentialbot.attempt"] = attempt,
        }));
    }
}
