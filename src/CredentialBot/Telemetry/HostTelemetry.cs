using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CredentialBot.Telemetry;

/// <summary>
/// The host's traces and metrics, every name in one place: scans, sends and janitor rounds. The libraries keep their
/// own (<c>BotTelemetry</c>, <c>DirectoryTelemetry</c>, <c>StoreTelemetry</c>); <see cref="TelemetrySources"/> lists
/// them all. Attributes carry counts, outcomes and kinds only: never a secret, a token, a person's id or card data.
/// </summary>
public static class HostTelemetry
{
    /// <summary>The name of the host's activity source and meter.</summary>
    public const string Name = "CredentialBot";

    /// <summary>The span of one scan of the tenant.</summary>
    public const string ScanSpan = "scan";

    /// <summary>The span of one person's digest (or escalation) being sent.</summary>
    public const string SendSpan = "send";

    /// <summary>The span of one janitor round; each chore is a <see cref="JanitorChoreSpan"/> inside it.</summary>
    public const string JanitorSpan = "janitor.round";

    /// <summary>The span of one chore within a janitor round.</summary>
    public const string JanitorChoreSpan = "janitor.chore";

    /// <summary>Histogram of a scan's duration, in seconds, by outcome.</summary>
    public const string ScanDurationMetric = "credentialbot.scan.duration";

    /// <summary>Counter of Apps a scan read (all of them, or the changed ones), by collection.</summary>
    public const string ScanObjectsMetric = "credentialbot.scan.objects";

    /// <summary>Counter of sends, by outcome.</summary>
    public const string SendsMetric = "credentialbot.sends";

    /// <summary>Counter of replies to people shed because the tenant's Connector budget had no slot for them in time.</summary>
    public const string RepliesShedMetric = "credentialbot.replies.shed";

    /// <summary>Histogram of a janitor round's duration, in seconds, by outcome.</summary>
    public const string JanitorDurationMetric = "credentialbot.janitor.duration";

    /// <summary>Histogram of the time a Connector request waited for the tenant's budget, in seconds, by stage.</summary>
    public const string BudgetWaitMetric = "credentialbot.connector.budget.wait";

    /// <summary>
    /// Counter of the tenant budget's hold-ups, by event: a request that woke more than a slot after its paced slot (a
    /// busy machine), or the hard one-second window refusing a request that had its slot.
    /// </summary>
    public const string BudgetEventsMetric = "credentialbot.connector.budget.events";

    /// <summary>
    /// The budget's stage: <c>pacing</c> (reserving a slot and waiting for it), <c>window</c> (from the slot until the
    /// hard limit admitted the request), <c>counted</c> (from the admission until the answer: the time the request holds
    /// a place beyond the second every request holds), or <c>store</c> (each of the budget's round trips to the store,
    /// also within the others).
    /// </summary>
    public const string BudgetStageAttribute = "credentialbot.budget.stage";

    /// <summary>The budget's event: <c>slot_late</c> or <c>window_refused</c>.</summary>
    public const string BudgetEventAttribute = "credentialbot.budget.event";

    /// <summary>How the work ended (<c>succeeded</c>/<c>failed</c>; for a send, see <see cref="SendOutcomes"/>).</summary>
    public const string OutcomeAttribute = "credentialbot.outcome";

    /// <summary>The collection read: Application or ServicePrincipal.</summary>
    public const string CollectionAttribute = "credentialbot.scan.collection";

    /// <summary>Full listings or delta rounds, per collection: e.g. <c>Full/Delta</c>.</summary>
    public const string ScanModeAttribute = "credentialbot.scan.mode";

    /// <summary>Apps read by the scan.</summary>
    public const string ScanObjectsAttribute = "credentialbot.scan.objects";

    /// <summary>Pages of Graph listings and delta rounds read.</summary>
    public const string ScanPagesAttribute = "credentialbot.scan.pages";

    /// <summary>Graph requests the scan sent, retries included.</summary>
    public const string ScanRequestsAttribute = "credentialbot.scan.graph_requests";

    /// <summary>Graph requests the scan sent that were answered 429.</summary>
    public const string ScanThrottledAttribute = "credentialbot.scan.throttled_requests";

    /// <summary>Notices the scan wrote to the outbox.</summary>
    public const string ScanNoticesAttribute = "credentialbot.scan.notices_planned";

    /// <summary>Notices in one send.</summary>
    public const string SendNoticesAttribute = "credentialbot.send.notices";

    /// <summary>Earlier delivery attempts of the send's notices (0 for a first try).</summary>
    public const string SendRetriesAttribute = "credentialbot.send.retries";

    /// <summary>Connector calls retried within this send (429, 412, 5xx).</summary>
    public const string SendConnectorRetriesAttribute = "credentialbot.send.connector_retries";

    /// <summary>The chore's type name.</summary>
    public const string ChoreAttribute = "credentialbot.janitor.chore";

    /// <summary>Chores run in a janitor round.</summary>
    public const string ChoresAttribute = "credentialbot.janitor.chores";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Histogram<double> ScanDuration = Meter.CreateHistogram<double>(ScanDurationMetric, "s", "Time a scan took.");

    internal static readonly Counter<long> ScanObjects = Meter.CreateCounter<long>(ScanObjectsMetric, "{app}", "Apps read by scans.");

    internal static readonly Counter<long> Sends = Meter.CreateCounter<long>(SendsMetric, "{send}", "Digests and escalations sent, by outcome.");

    internal static readonly Histogram<double> BudgetWait = Meter.CreateHistogram<double>(BudgetWaitMetric, "s", "Time a Connector request waited for the tenant's budget.");

    internal static readonly Counter<long> BudgetEvents = Meter.CreateCounter<long>(BudgetEventsMetric, "{event}", "Paced slots woken late and hard-window refusals.");

    internal static readonly Counter<long> RepliesShed = Meter.CreateCounter<long>(RepliesShedMetric, "{reply}", "Replies to people shed: no Connector slot before Teams stops waiting.");

    internal static readonly Histogram<double> JanitorDuration = Meter.CreateHistogram<double>(JanitorDurationMetric, "s", "Time a janitor round took.");

    /// <summary>Marks a span failed with the exception's type only (its message may quote data).</summary>
    internal static void Failed(Activity? span, Exception exception)
    {
        if (span is not null)
        {
            span.SetStatus(ActivityStatusCode.Error);
            span.SetTag("error.type", exception.GetType().FullName);
        }
    }

    /// <summary>The outcomes a send records.</summary>
    public static class SendOutcomes
    {
        public const string Sent = "sent";
        public const string Escalated = "escalated";
        public const string NotInstalled = "not_installed";
        public const string NothingDue = "nothing_due";
        public const string RecipientGone = "recipient_gone";
        public const string Throttled = "throttled";
        public const string Failed = "failed";
    }
}
