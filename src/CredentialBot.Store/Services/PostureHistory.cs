using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.Domain;
using CredentialBot.Store.Entities;

namespace CredentialBot.Store.Services;

/// <summary>Tenant posture reviews over time: the latest, and the one before it for "changed since the previous scan".</summary>
public sealed class PostureHistory(CredentialBotDbContext db)
{
    public Task SaveAsync(TenantPostureReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        return KeptSnapshots.AppendAsync(db, new PostureSnapshotRecord { At = report.At, Report = JsonSerializer.Serialize(report, PostureJsonContext.Default.TenantPostureReport) }, cancellationToken);
    }

    /// <summary>The latest review and the one before it (either may be null).</summary>
    public Task<(TenantPostureReport? Latest, TenantPostureReport? Previous)> LatestAsync(CancellationToken cancellationToken = default) =>
        KeptSnapshots.LatestTwoAsync<PostureSnapshotRecord, TenantPostureReport>(db, r => JsonSerializer.Deserialize(r.Report, PostureJsonContext.Default.TenantPostureReport), cancellationToken);
}

[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(TenantPostureReport))]
internal sealed partial class PostureJsonContext : JsonSerializerContext;
