using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.Domain;
using CredentialBot.Store.Entities;

namespace CredentialBot.Store.Services;

/// <summary>Compliance summaries over time: the latest, and the one before it for "change since the previous scan".</summary>
public sealed class ComplianceHistory(CredentialBotDbContext db)
{
    public Task SaveAsync(ComplianceSummary summary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return KeptSnapshots.AppendAsync(db, new ComplianceSnapshotRecord { At = summary.At, Summary = JsonSerializer.Serialize(summary, ComplianceJsonContext.Default.ComplianceSummary) }, cancellationToken);
    }

    /// <summary>The latest summary and the one before it (either may be null).</summary>
    public Task<(ComplianceSummary? Latest, ComplianceSummary? Previous)> LatestAsync(CancellationToken cancellationToken = default) =>
        KeptSnapshots.LatestTwoAsync<ComplianceSnapshotRecord, ComplianceSummary>(db, r => Read(r.Summary), cancellationToken);

    private static ComplianceSummary? Read(string json) => JsonSerializer.Deserialize(json, ComplianceJsonContext.Default.ComplianceSummary);
}

[JsonSerializable(typeof(ComplianceSummary))]
internal sealed partial class ComplianceJsonContext : JsonSerializerContext;
