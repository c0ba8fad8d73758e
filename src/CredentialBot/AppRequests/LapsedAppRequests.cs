using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Jobs;
using CredentialBot.Shared.Messaging;
using CredentialBot.Store.Services;

namespace CredentialBot.AppRequests;

/// <summary>The janitor's part of app requests: those nobody decided in time expire, audited, and their requesters are told.</summary>
public sealed class LapsedAppRequests(AppRegistrationRequestStore requests, AuditTrail audit, Messenger messenger) : IJanitorChore
{
    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var request in await requests.ExpireLapsedAsync(now, cancellationToken))
        {
            await audit.RecordAsync(AuditTrail.Bot, null, AuditOperation.RequestApp, AuditOutcome.Expired, $"App request {request.Id} ('{request.DisplayName}') by {request.RequesterName} was not decided in time", request.Ticket, cancellationToken);
            var text = $"Nobody decided on your request for a new app registration '{request.DisplayName}' in time, so it expired. You can ask again.";
            await messenger.SendToPersonAsync(request.RequesterObjectId, NoticeCard.Build("App request expired", CardText.Literal(text, 400)), text, cancellationToken);
        }
    }
}
