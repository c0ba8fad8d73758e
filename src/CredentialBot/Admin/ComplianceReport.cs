using CredentialBot.Domain;

namespace CredentialBot.Admin;

/// <summary>
/// Computes the tenant's compliance from the store (no Graph), a page of Apps at a time, and keeps each summary so
/// the next can say what changed. Taken after every scan.
/// </summary>
public sealed class ComplianceReport(AppCatalog catalog, PolicyStore policies, ComplianceHistory history, TimeProvider time)
{
    private const int PageSize = 1_000;

    public async Task<ComplianceSummary> ComputeAsync(CancellationToken cancellationToken)
    {
        var policyFor = await policies.GetResolverAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var tally = new ComplianceTally(now);
        string? after = null;
        while (true)
        {
            var page = await catalog.ListPageAsync(after, PageSize, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var app in page)
            {
                tally.Add(app, PolicyEvaluator.Evaluate(app, policyFor(app), now));
            }

            if (page.Count < PageSize)
            {
                return tally.ToSummary();
            }

            after = page[^1].ObjectId;
        }
    }

    /// <summary>Computes and keeps a summary.</summary>
    public async Task<ComplianceSummary> SnapshotAsync(CancellationToken cancellationToken)
    {
        var summary = await ComputeAsync(cancellationToken).ConfigureAwait(false);
        await history.SaveAsync(summary, cancellationToken).ConfigureAwait(false);
        return summary;
    }
}
