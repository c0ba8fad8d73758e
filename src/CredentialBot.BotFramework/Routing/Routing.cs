using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Schema;

namespace CredentialBot.BotFramework.Routing;

/// <summary>What a route is keyed on.</summary>
public enum RouteKind
{
    /// <summary>A non-invoke activity type (message, conversationUpdate, …).</summary>
    Activity,

    /// <summary>An invoke name without a finer key (task/fetch, composeExtension/selectItem, …).</summary>
    Invoke,

    /// <summary>An <c>adaptiveCard/action</c> verb.</summary>
    CardAction,

    /// <summary>A message-extension command id (query, fetchTask, submitAction).</summary>
    MessageExtension,
}

/// <summary>A routing-table key. Names compare ordinally: protocol names and verbs are case-sensitive.</summary>
public readonly record struct RouteKey(RouteKind Kind, string Name)
{
    /// <summary>Route a non-invoke activity type.</summary>
    public static RouteKey ForActivity(string type) => new(RouteKind.Activity, type);

    /// <summary>Route an invoke by name.</summary>
    public static RouteKey ForInvoke(string name) => new(RouteKind.Invoke, name);

    /// <summary>Route an Action.Execute verb.</summary>
    public static RouteKey ForCardAction(string verb) => new(RouteKind.CardAction, verb);

    /// <summary>Route a message-extension command id.</summary>
    public static RouteKey ForMessageExtension(string commandId) => new(RouteKind.MessageExtension, commandId);

    /// <inheritdoc />
    public override string ToString() => $"{Kind}:{Name}";
}

/// <summary>
/// One route. Implementations are registered with <c>AddActivityHandler&lt;T&gt;()</c> and resolved per request
/// from the request's scope, so they may depend on scoped services.
/// </summary>
public interface IActivityHandler
{
    /// <summary>The key this handler answers.</summary>
    RouteKey Key { get; }

    /// <summary>Handles the activity; the result is the HTTP answer for invokes and ignored (200) otherwise.</summary>
    Task<InvokeResponse> HandleAsync(TurnContext turn, CancellationToken cancellationToken);
}

/// <summary>One inbound activity with the means to answer it.</summary>
public sealed class TurnContext(Activity activity, IServiceProvider services, IConnectorClient connector)
{
    /// <summary>The authenticated activity. Its <c>from</c> is the actor; its <c>value</c> is untrusted input.</summary>
    public Activity Activity { get; } = activity;

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

/// <summary>Marks a handler type registered for routing.</summary>
public sealed record ActivityHandlerRegistration(Type HandlerType);
