using CredentialBot.Domain;
using CredentialBot.Store.Services;

namespace CredentialBot.Admin.Posture;

/// <summary>
/// Reviews the tenant's posture after a scan: the tenant settings from Graph (each read on its own, so a permission not
/// granted leaves an Unknown finding that names it, never a failure) and the counts from a <see cref="CatalogTally"/>,
/// kept in <see cref="PostureHistory"/> so the next review can say what changed.
/// </summary>
public sealed partial class PostureSurvey(ITenantDirectory directory, PostureHistory history, TimeProvider time, ILogger<PostureSurvey> logger)
{
    /// <summary>Reads the tenant's settings and begins counting a catalog against them.</summary>
    public async Task<CatalogTally> BeginTallyAsync(CancellationToken cancellationToken) =>
        new(await directory.GetTenantPostureAsync(cancellationToken), time.GetUtcNow());

    /// <summary>Reviews and keeps the posture of a tally that has counted every App.</summary>
    public async Task<TenantPostureReport> SaveAsync(CatalogTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tally);
        var report = TenantPostureReport.Review(tally.Tenant, tally.Posture, time.GetUtcNow());
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
