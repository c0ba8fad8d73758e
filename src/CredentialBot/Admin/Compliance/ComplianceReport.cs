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
                var policy = policyFor(app);
                yield return new AppCompliance(app, policy, PolicyEvaluator.Evaluate(app, policy, now));
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
    /// Computes and keeps a summary, and the tenant's posture with it, from one walk of the catalog: it runs after every
    /// scan, and a second walk (loading and judging every App again) was as long again a burst of work while people
    /// waited for their answers.
    /// </summary>
    public async Task<ComplianceSummary> SnapshotAsync(CancellationToken cancellationToken)
    {
        var tally = new ComplianceTally(time.GetUtcNow());
        await posture.SnapshotAsync(TalliedAsync(EvaluateAllAsync(cancellationToken), tally), cancellationToken);
        var summary = tally.ToSummary();
        await history.SaveAsync(summary, cancellationToken);
        return summary;
    }

    private static async IAsyncEnumerable<AppCompliance> TalliedAsync(IAsyncEnumerable<AppCompliance> apps, ComplianceTally tally)
    {
        await foreach (var judged in apps)
        {
            tally.Add(judged.App, judged.Findings);
            yield return judged;
        }
    }
}
