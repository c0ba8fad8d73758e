using System.Diagnostics.Metrics;
using CredentialBot.Store.Entities;

namespace CredentialBot.Store.Diagnostics;

/// <summary>
/// The store's metrics, every name in one place: how deep the outbox is, by status, and what happens to the
/// leases that keep one instance scanning. Attributes carry statuses and lease names only, never rows' contents.
/// </summary>
public static class StoreTelemetry
{
    /// <summary>The name of the library's meter (the store adds no spans of its own).</summary>
    public const string Name = "CredentialBot.Store";

    /// <summary>Gauge of outbox rows waiting or in flight, by status (sent rows are history, not depth).</summary>
    public const string OutboxDepthMetric = "credentialbot.outbox.depth";

    /// <summary>Counter of lease renewals, by lease and outcome (<c>renewed</c>, <c>lost</c>, <c>failed</c>).</summary>
    public const string LeaseRenewalsMetric = "credentialbot.lease.renewals";

    /// <summary>The outbox status measured.</summary>
    public const string StatusAttribute = "credentialbot.outbox.status";

    /// <summary>The lease's name.</summary>
    public const string LeaseAttribute = "credentialbot.lease";

    /// <summary>How a renewal ended.</summary>
    public const string OutcomeAttribute = "credentialbot.outcome";

    /// <summary>The statuses whose rows make the outbox's depth.</summary>
    public static readonly IReadOnlyList<OutboxStatus> DepthStatuses = [OutboxStatus.Pending, OutboxStatus.Sending, OutboxStatus.Failed, OutboxStatus.Unreachable];

    private static readonly Meter Meter = new(Name);

    private static readonly Gauge<long> OutboxDepth = Meter.CreateGauge<long>(OutboxDepthMetric, "{message}", "Outbox messages waiting or in flight, by status.");

    private static readonly Counter<long> LeaseRenewals = Meter.CreateCounter<long>(LeaseRenewalsMetric, "{renewal}", "Lease renewals, by lease and outcome.");

    internal static void RecordOutboxDepth(IReadOnlyDictionary<OutboxStatus, int> counts)
    {
        foreach (var status in DepthStatuses)
        {
            OutboxDepth.Record(counts.GetValueOrDefault(status), new KeyValuePair<string, object?>(StatusAttribute, status.ToString()));
        }
    }

    internal static void RecordRenewal(string lease, string outcome) =>
        LeaseRenewals.Add(1, new KeyValuePair<string, object?>(LeaseAttribute, lease), new KeyValuePair<string, object?>(OutcomeAttribute, outcome));
}
