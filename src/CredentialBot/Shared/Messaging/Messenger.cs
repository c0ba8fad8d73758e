using System.Text.Json;
using CredentialBot.BotFramework.Cards;
using CredentialBot.BotFramework.Schema;
using CredentialBot.Shared.Cards;
using CredentialBot.Store.Services;

namespace CredentialBot.Shared.Messaging;

/// <summary>
/// Interactive proactive messages (approval cards, outcomes, a chat scan's progress) to a person or a conversation the
/// bot knows, through <see cref="ThrottledSends"/>. Digests go through the outbox; these are sent while a person
/// waits, and the caller learns when nobody could be reached (null).
/// </summary>
public sealed class Messenger(ConversationReferenceStore references, ThrottledSends sends)
{
    public async Task<PostedCard?> SendToPersonAsync(string personObjectId, AdaptiveCard card, string summary, CancellationToken cancellationToken) =>
        await references.FindPersonalAsync(personObjectId, cancellationToken) is { } stored
            ? await SendAsync(stored.ToReference(), card, summary, cancellationToken)
            : null;

    public async Task<PostedCard?> SendToConversationAsync(string conversationId, AdaptiveCard card, string summary, CancellationToken cancellationToken) =>
        await references.FindAsync(conversationId, cancellationToken) is { } stored
            ? await SendAsync(stored.ToReference(), card, summary, cancellationToken)
            : null;

    /// <summary>Replaces a posted card for everyone in its conversation.</summary>
    public async Task<bool> UpdateAsync(PostedCard posted, AdaptiveCard card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(posted);
        var stored = await references.FindAsync(posted.ConversationId, cancellationToken);
        var at = new ConversationReference(posted.ServiceUrl, stored?.ChannelId ?? "msteams", posted.ConversationId, stored?.ConversationType, stored?.TenantId);
        return (await sends.UpdateAsync(at, posted.ActivityId, card, cancellationToken)).Succeeded;
    }

    /// <summary>Teams refreshes a card automatically for at most 60 listed users.</summary>
    public const int MaxRefreshUsers = 60;

    /// <summary>
    /// The Teams user ids (29:…) of <paramref name="people"/> for a card's refresh list, at most
    /// <see cref="MaxRefreshUsers"/>; people who never talked to the bot have none and are left out.
    /// </summary>
    public async Task<IReadOnlyList<string>> RefreshUsersAsync(IEnumerable<string> people, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(people);
        var asked = people.Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxRefreshUsers).ToList();
        var userIds = await references.PersonalUserIdsAsync(asked, cancellationToken);
        return [.. asked.Where(userIds.ContainsKey).Select(person => userIds[person])];
    }

    public static string Serialize(IReadOnlyList<PostedCard> cards) => JsonSerializer.Serialize(cards, CardDataJson.Default.IReadOnlyListPostedCard);

    public static IReadOnlyList<PostedCard> Deserialize(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(json, CardDataJson.Default.IReadOnlyListPostedCard) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private async Task<PostedCard?> SendAsync(ConversationReference to, AdaptiveCard card, string summary, CancellationToken cancellationToken)
    {
        var result = await sends.SendAsync(to, card, summary, cancellationToken);
        return result.Succeeded ? new PostedCard(to.ServiceUrl, to.ConversationId, result.Id ?? string.Empty) : null;
    }
}
