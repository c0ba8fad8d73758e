using CredentialBot.BotFramework.Cards;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Schema;

namespace CredentialBot.Shared.Messaging;

/// <summary>
/// The one path for proactive messages: every new card and every redraw through a stored conversation reference keeps
/// to the conversation's limits (<see cref="ConnectorRateLimits"/>); the Connector client keeps every request, these
/// and all others, within the tenant's (<see cref="TenantRequestBudget"/>), so a fan-out never provokes a 429 storm
/// and interactive sends share the same budget as digests.
/// </summary>
public sealed class ThrottledSends(IConnectorClient connector, ConnectorRateLimits limits)
{
    /// <summary>Posts a card as a new message in the conversation.</summary>
    public async Task<SendResult> SendAsync(ConversationReference to, AdaptiveCard card, string summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(to);
        using (await limits.AcquireAsync(to.ConversationId, cancellationToken))
        {
            return await connector.SendToConversationAsync(to.ServiceUrl, to.ConversationId, to.CreateMessage([Attachment.ForCard(card)], summary), cancellationToken);
        }
    }

    /// <summary>Replaces message <paramref name="activityId"/> for everyone in the conversation.</summary>
    public async Task<SendResult> UpdateAsync(ConversationReference at, string activityId, AdaptiveCard card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(at);
        using (await limits.AcquireAsync(at.ConversationId, cancellationToken))
        {
            return await connector.UpdateActivityAsync(at.ServiceUrl, at.ConversationId, activityId, at.CreateUpdate(activityId, [Attachment.ForCard(card)]), cancellationToken);
        }
    }
}
