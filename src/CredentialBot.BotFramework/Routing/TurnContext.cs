using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Schema;

namespace CredentialBot.BotFramework.Routing;

/// <summary>One inbound activity with the means to answer it.</summary>
public sealed class TurnContext(Activity activity, IServiceProvider services, IConnectorClient connector)
{
    /// <summary>The authenticated activity. Its <c>from</c> is the actor; its <c>value</c> is untrusted input.</summary>
    public Activity Activity { get; } = activity;

    /// <summary>The sender, from the authenticated activity.</summary>
    public Actor Actor { get; } = Actor.Of(activity);

    /// <summary>The request's service scope.</summary>
    public IServiceProvider Services { get; } = services;

    /// <summary>
    /// Sends an activity to this conversation: as a reply when it has <c>replyToId</c>, otherwise as a new message.
    /// </summary>
    public Task<SendResult> SendActivityAsync(Activity outgoing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outgoing);
        var serviceUrl = Activity.ServiceUrl ?? string.Empty;
        var conversationId = Activity.Conversation?.Id ?? string.Empty;
        return outgoing.ReplyToId is { Length: > 0 } replyTo
            ? connector.ReplyToActivityAsync(serviceUrl, conversationId, replyTo, outgoing, cancellationToken)
            : connector.SendToConversationAsync(serviceUrl, conversationId, outgoing, cancellationToken);
    }

    /// <summary>Replaces an activity this bot sent earlier in the conversation (e.g. a card, for everyone).</summary>
    public Task<SendResult> UpdateActivityAsync(string activityId, Activity outgoing, CancellationToken cancellationToken = default) =>
        connector.UpdateActivityAsync(Activity.ServiceUrl ?? string.Empty, Activity.Conversation?.Id ?? string.Empty, activityId, outgoing, cancellationToken);
}
