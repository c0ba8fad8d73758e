using CredentialBot.Admin.Compliance;
using CredentialBot.Domain;
using CredentialBot.Store.Services;

namespace CredentialBot.Admin.Posture;

/// <summary>
/// Reviews the tenant's posture after a scan: the tenant settings from Graph (each read on its own, so a permission not
/// granted leaves an Unknown finding that names it, never a failure) and the counts from the store, kept in
/// <see cref="PostureHistory"/> so the next review can say what changed.
/// </summary>
public sealed partial class PostureSurvey(ITenantDirectory directory, PostureHistory history, TimeProvider time, ILogger<PostureSurvey> logger)
{
    /// <summary>Reviews and keeps the posture; <paramref name="apps"/> is the compliance evaluation of every App.</summary>
    public async Task<TenantPostureReport> SnapshotAsync(IAsyncEnumerable<AppCompliance> apps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(apps);
        var posture = await directory.GetTenantPostureAsync(cancellationToken);
        var tally = new PostureTally(time.GetUtcNow(), posture.AppManagement.Value);
        await foreach (var judged in apps.WithCancellation(cancellationToken))
        {
            tally.Add(judged.App, judged.Policy);
        }

        var report = TenantPostureReport.Review(posture, tally, time.GetUtcNow());
        foreach (var unread in report.Findings.Where(f => f.MissingPermission is not null))
        {
            LogNotChecked(logger, unread.Check, unread.MissingPermission!);
        }

        await history.SaveAsync(report, cancellationToken);
        return report;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant posture: {Check} not checked; grant the Graph permission {Permission}")]
    private static partial void LogNotChecked(ILogger logger, string check, string permission);
}
