using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>Compliance summaries over time: the latest, and the one before it for "change since the previous scan".</summary>
public sealed class ComplianceHistory(CredentialBotDbContext db)
{
    /// <summary>Summaries older than this many are pruned on save.</summary>
    private const int Kept = 100;

    public async Task SaveAsync(ComplianceSummary summary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        db.ComplianceSnapshots.Add(new ComplianceSnapshotRecord { At = summary.At, Summary = JsonSerializer.Serialize(summary, ComplianceJsonContext.Default.ComplianceSummary) });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
        var cutoff = await db.ComplianceSnapshots.OrderByDescending(s => s.Id).Skip(Kept).Select(s => (long?)s.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (cutoff is { } id)
        {
            await db.ComplianceSnapshots.Where(s => s.Id <= id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The latest summary and the one before it (either may be null).</summary>
    public async Task<(ComplianceSummary? Latest, ComplianceSummary? Previous)> LatestAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.ComplianceSnapshots.AsNoTracking().OrderByDescending(s => s.Id).Take(2).Select(s => s.Summary).ToListAsync(cancellationToken).ConfigureAwait(false);
        return (rows.Count > 0 ? Read(rows[0]) : null, rows.Count > 1 ? Read(rows[1]) : null);
    }

    private static ComplianceSummary? Read(string json) => JsonSerializer.Deserialize(json, ComplianceJsonContext.Default.ComplianceSummary);
}

[JsonSerializable(typeof(ComplianceSummary))]
internal sealed partial class ComplianceJsonContext : JsonSerializerContext;
