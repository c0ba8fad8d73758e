using CredentialBot.BotFramework.Invokes;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.Digests;

/// <summary>
/// "Acknowledge": the owner knows; no more stage notices for these credentials until they expire (the expiry itself
/// is still announced). An expired credential cannot be acknowledged: it needs rotating.
/// </summary>
public sealed class AcknowledgeNotices(NoticePausing pausing) : ICardAction<PauseNoticesData>
{
    public static AuditOperation? Operation => AuditOperation.AcknowledgeNotices;

    public Task<AdaptiveCardInvokeResponse> RunAsync(CardActionRequest<PauseNoticesData> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return pausing.PauseAsync(request.Data, request.Who, AuditOperation.AcknowledgeNotices, 0, (credentials, now) =>
            credentials.Any(c => c.IsExpired(now)) || credentials.Count == 0
                ? (null, "An expired credential cannot be acknowledged; rotate it instead. Nothing was changed.")
                : (credentials.Max(c => c.EndsAt), null), cancellationToken);
    }
}
