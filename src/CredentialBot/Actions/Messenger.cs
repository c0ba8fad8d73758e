using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Cards;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Schema;
using CredentialBot.Notifications;

namespace CredentialBot.Actions;

/// <summary>Where a card was posted, so it can be redrawn for everyone later.</summary>
public sealed record PostedCard(
    [property: JsonPropertyName("serviceUrl")] string ServiceUrl,
    [property: JsonPropertyName("conversationId")] string ConversationId,
    [property: JsonPropertyName("activityId")] string ActivityId);

/// <summary>
/// Interactive proactive messages (approval cards, outcomes) through stored conversation references, within the
/// same per-tenant and per-conversation limits as the digests. Digests go through the outbox; these are sent while
/// a person waits, and the person is told when nobody could be reached.
/// </summary>
public sealed class Messenger(ConversationReferenceStore references, IConnectorClient connector, ConnectorRateLimits limits)
{
    public async Task<PostedCard?> SendToPersonAsync(string personObjectId, AdaptiveCard card, string summary, CancellationToken cancellationToken) =>
        await references.FindPersonalAsync(personObjectId, cancellationToken).ConfigureAwait(false) is { } reference
            ? await SendAsync(reference, card, summary, cancellationToken).ConfigureAwait(false)
            : null;

    public async Task<PostedCard?> SendToConversationAsync(string conversationId, AdaptiveCard card, string summary, CancellationToken cancellationToken) =>
        await references.FindAsync(conversationId, cancellationToken).ConfigureAwait(false) is { } reference
            ? await SendAsync(reference, card, summary, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>Replaces a posted card for everyone in its conversation.</summary>
    public async Task<bool> UpdateAsync(PostedCard posted, AdaptiveCard card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(posted);
        var reference = await references.FindAsync(posted.ConversationId, cancellationToken).ConfigureAwait(false);
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = posted.ActivityId,
            ChannelId = reference?.ChannelId ?? "msteams",
            ServiceUrl = posted.ServiceUrl,
            Conversation = new ConversationAccount { Id = posted.ConversationId, ConversationType = reference?.ConversationType, TenantId = reference?.TenantId },
            Attachments = [Attachment.ForCard(card)],
        };
        using (await limits.AcquireAsync(reference?.TenantId, posted.ConversationId, cancellationToken).ConfigureAwait(false))
        {
            return (await connector.UpdateActivityAsync(posted.ServiceUrl, posted.ConversationId, posted.ActivityId, activity, cancellationToken).ConfigureAwait(false)).Succeeded;
        }
    }

    /// <summary>The person's Teams user id (29:…) for card refresh lists; null when they never talked to the bot.</summary>
    public async Task<string?> TeamsUserIdOfAsync(string personObjectId, CancellationToken cancellationToken) =>
        (await references.FindPersonalAsync(personObjectId, cancellationToken).ConfigureAwait(false))?.UserId;

    public static string Serialize(IReadOnlyList<PostedCard> cards) => JsonSerializer.Serialize(cards, ActionsJsonContext.Default.IReadOnlyListPostedCard);

    public static IReadOnlyList<PostedCard> Deserialize(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(json, ActionsJsonContext.Default.IReadOnlyListPostedCard) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private async Task<PostedCard?> SendAsync(ConversationReferenceRecord reference, AdaptiveCard card, string summary, CancellationToken cancellationToken)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            ChannelId = reference.ChannelId,
            ServiceUrl = reference.ServiceUrl,
            From = reference.BotId is null ? null : new ChannelAccount { Id = reference.BotId },
            Recipient = reference.UserId is null ? null : new ChannelAccount { Id = reference.UserId, AadObjectId = reference.UserObjectId },
            Conversation = new ConversationAccount { Id = reference.ConversationId, ConversationType = reference.ConversationType, TenantId = reference.TenantId },
            Summary = summary,
            Attachments = [Attachment.ForCard(card)],
        };
        SendResult result;
        using (await limits.AcquireAsync(reference.TenantId, reference.ConversationId, cancellationToken).ConfigureAwait(false))
        {
            result = await connector.SendToConversationAsync(reference.ServiceUrl, reference.ConversationId, activity, cancellationToken).ConfigureAwait(false);
        }

        return result.Succeeded ? new PostedCard(reference.ServiceUrl, reference.ConversationId, result.Id ?? string.Empty) : null;
    }
}

[JsonSerializable(typeof(IReadOnlyList<PostedCard>))]
internal sealed partial class ActionsJsonContext : JsonSerializerContext;
