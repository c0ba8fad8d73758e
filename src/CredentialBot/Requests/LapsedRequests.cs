using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Jobs;
using CredentialBot.Shared.Messaging;
using CredentialBot.Store.Services;

namespace CredentialBot.Requests;

/// <summary>The janitor's part of requests: those nobody decided in time expire, audited, and their requesters are told.</summary>
public sealed class LapsedRequests(AccessRequestStore requests, AuditTrail audit, Messenger messenger) : IJanitorChore
{
    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var request in await requests.ExpireLapsedAsync(now, cancellationToken))
        {
            await audit.RecordAsync(AuditTrail.Bot, request.AppObjectId, AuditOperation.RequestExpired, AuditOutcome.Expired, $"Request {request.Id} by {request.RequesterName} was not decided in time", request.Ticket, cancellationToken);
            var text = $"Nobody decided on your request {request.Id} in time, so it expired. You can ask again.";
            await messenger.SendToPersonAsync(request.RequesterObjectId, NoticeCard.Build("Request expired", text), text, cancellationToken);
        }
    }
}
