using CredentialBot.Domain;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Jobs;
using CredentialBot.Shared.Messaging;
using CredentialBot.Store.Services;

namespace CredentialBot.Elevation;

/// <summary>The janitor's part of elevation: grants that ended are claimed once, audited, and their holders told.</summary>
public sealed class EndedGrants(GrantStore grants, AuditTrail audit, Messenger messenger) : IJanitorChore
{
    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var grant in await grants.ClaimEndedAsync(now, cancellationToken))
        {
            await audit.RecordAsync(AuditTrail.Bot, grant.AppObjectId, AuditOperation.GrantEnded, AuditOutcome.Succeeded, $"{grant.Right} for {grant.PersonObjectId} ended at {grant.EndsAt:yyyy-MM-dd HH:mm} UTC", cancellationToken);
            var text = $"Your elevation ({(grant.Right == AppRight.ManageOwners ? "manage owners" : "rotate credentials")}) ended at {grant.EndsAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC.";
            await messenger.SendToPersonAsync(grant.PersonObjectId, NoticeCard.Build("Elevation ended", text), text, cancellationToken);
        }
    }
}
