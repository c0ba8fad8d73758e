using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>Counts of unused credentials; only the latest is read, and older ones beyond a few are dropped.</summary>
public sealed class UsageSurveyStore(CredentialBotDbContext db)
{
    private const int Kept = 30;

    public async Task SaveAsync(UsageSurvey survey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(survey);
        db.UsageSurveys.Add(new UsageSurveyRecord
        {
            At = survey.At,
            Available = survey.Available,
            Explanation = survey.Explanation,
            Credentials = survey.Credentials,
            Unused = survey.Unused,
            UnusedDays = survey.UnusedDays,
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var oldest = await db.UsageSurveys.OrderByDescending(r => r.Id).Skip(Kept).Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (oldest is { } id)
        {
            await db.UsageSurveys.Where(r => r.Id <= id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<UsageSurvey?> LatestAsync(CancellationToken cancellationToken = default) =>
        await db.UsageSurveys.AsNoTracking().OrderByDescending(r => r.Id)
            .Select(r => new UsageSurvey(r.At, r.Available, r.Explanation, r.Credentials, r.Unused, r.UnusedDays))
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
}
