using CredentialBot.BotFramework.Invokes;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.Digests;

/// <summary>"Snooze 7 days": the credentials' stage notices pause for a week (an expiry is still announced).</summary>
public sealed class SnoozeNotices(NoticePausing pausing) : ICardAction<PauseNoticesData>
{
    public static AuditOperation? Operation => AuditOperation.SnoozeNotices;

    public Task<AdaptiveCardInvokeResponse> RunAsync(CardActionRequest<PauseNoticesData> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return pausing.PauseAsync(request.Data, request.Who, AuditOperation.SnoozeNotices, DigestCard.SnoozeDays, (_, now) => (now.AddDays(DigestCard.SnoozeDays), null), cancellationToken);
    }
}
