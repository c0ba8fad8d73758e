using System.Runtime.CompilerServices;
using CredentialBot.Admin.Posture;
using CredentialBot.Domain;
using CredentialBot.Store.Services;

namespace CredentialBot.Admin.Compliance;

/// <summary>
/// The tenant's compliance from the store (no Graph), a page of Apps at a time so memory stays flat, and each summary
/// kept so the next can say what changed. Taken after every scan; the compliance export reads the same evaluation.
/// </summary>
public sealed class ComplianceReport(AppCatalog catalog, PolicyStore policies, ComplianceHistory history, PostureSurvey posture, TimeProvider time)
{
    private const int PageSize = 1_000;

    /// <summary>Every App in the catalog with its policy and findings, in object-id order.</summary>
    public async IAsyncEnumerable<AppCompliance> EvaluateAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var policyFor = await policies.GetResolverAsync(cancellationToken);
        var now = time.GetUtcNow();
        string? after = null;
        while (true)
        {
            var page = await catalog.ListPageAsync(after, PageSize, cancellationToken: cancellationToken);
            foreach (var app in page)
            {
                yield return AppCompliance.Judge(app, policyFor(app), now);
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = page[^1].ObjectId;
        }
    }

    public async Task<ComplianceSummary> ComputeAsync(CancellationToken cancellationToken)
    {
        var tally = new ComplianceTally(time.GetUtcNow());
        await foreach (var judged in EvaluateAllAsync(cancellationToken))
        {
            tally.Add(judged.App, judged.Findings);
        }

        return tally.ToSummary();
    }

    /// <summary>
    /// Computes and keeps a summary, and the tenant's posture with it, from one walk of the catalog (a scan that listed
    /// both collections in full has counted them as it wrote them, and keeps its own tally instead).
    /// </summary>
    public async Task<ComplianceSummary> SnapshotAsync(CancellationToken cancellationToken) =>
        await WalkAsync(await BeginTallyAsync(cancellationToken), cancellationToken);

    /// <inheritdoc cref="SnapshotAsync(CancellationToken)"/>
    /// <param name="tenant">The tenant's settings, already read for this scan.</param>
    /// <param name="cancellationToken">Stops the walk; nothing is kept then.</param>
    public Task<ComplianceSummary> SnapshotAsync(TenantPosture tenant, CancellationToken cancellationToken) =>
        WalkAsync(new CatalogTally(tenant, time.GetUtcNow()), cancellationToken);

    /// <summary>Reads the tenant's settings and begins counting Apps for a summary and a posture review.</summary>
    public Task<CatalogTally> BeginTallyAsync(CancellationToken cancellationToken) => posture.BeginTallyAsync(cancellationToken);

    /// <summary>Keeps the summary and the posture of a tally that has counted every App of the catalog.</summary>
    public async Task<ComplianceSummary> SaveAsync(CatalogTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tally);
        await posture.SaveAsync(tally, cancellationToken);
        var summary = tally.Compliance.ToSummary();
        await history.SaveAsync(summary, cancellationToken);
        return summary;
    }

    private async Task<ComplianceSummary> WalkAsync(CatalogTally tally, CancellationToken cancellationToken)
    {
        await foreach (var judged in EvaluateAllAsync(cancellationToken))
        {
            tally.Add(judged);
        }

        return await SaveAsync(tally, cancellationToken);
    }
}
