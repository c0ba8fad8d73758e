using CredentialBot.Domain;
using CredentialBot.Shared.Jobs;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Rotation.Receipts;

/// <summary>
/// Counts, every <see cref="ReceiptOptions.SurveyInterval"/>, the credentials nobody signed in with for
/// <see cref="ReceiptOptions.UnusedDays"/> days, from one tenant-wide usage listing and the catalog, and keeps the count
/// for the compliance summary. Only credentials that could have been used that long count: expired ones, and ones
/// created within the window, are left out. A tenant without the reports gets a kept explanation instead of a count;
/// a listing that did not answer now keeps the previous count.
/// </summary>
public sealed class UnusedCredentialsSurvey(UsageReports reports, AppCatalog catalog, UsageSurveyStore surveys, ReceiptSchedule schedule, IOptions<ReceiptOptions> options) : IJanitorChore
{
    private const int PageSize = 1_000;

    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!schedule.IsDue(nameof(UnusedCredentialsSurvey), now, settings.SurveyInterval) || await reports.ReadTenantAsync(cancellationToken) is not { } read)
        {
            return;
        }

        if (read.Refusal is { Kind: DirectoryRefusalKind.NotLicensed or DirectoryRefusalKind.MissingPermission } refusal)
        {
            await surveys.SaveAsync(new UsageSurvey(now, false, UsageReports.Explain(refusal), 0, 0, settings.UnusedDays), cancellationToken);
            schedule.Ran(nameof(UnusedCredentialsSurvey), now);
            return;
        }

        if (read.Value is not { } usage)
        {
            // The reports did not answer now: the previous count stays, and the next round tries again.
            return;
        }

        var since = now.AddDays(-settings.UnusedDays);
        var (credentials, unused) = (0, 0);
        string? after = null;
        IReadOnlyList<App> page;
        do
        {
            page = await catalog.ListPageAsync(after, PageSize, cancellationToken: cancellationToken);
            foreach (var credential in page.SelectMany(a => a.Credentials).Where(c => !c.IsExpired(now) && (c.StartsAt is null || c.StartsAt <= since)))
            {
                credentials++;
                if (usage.LastUseOf(credential.KeyId) is not { } last || last < since)
                {
                    unused++;
                }
            }

            after = page.Count > 0 ? page[^1].ObjectId : after;
        }
        while (page.Count == PageSize);
        await surveys.SaveAsync(new UsageSurvey(now, true, null, credentials, unused, settings.UnusedDays), cancellationToken);
        schedule.Ran(nameof(UnusedCredentialsSurvey), now);
    }
}
