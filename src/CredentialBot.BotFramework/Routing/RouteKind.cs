namespace CredentialBot.BotFramework.Routing;

/// <summary>What a route is keyed on.</summary>
public enum RouteKind
{
    /// <summary>A non-invoke activity type (message, conversationUpdate, …).</summary>
    Activity,

    /// <summary>An invoke name without a finer key (task/fetch, composeExtension/queryLink, …).</summary>
    Invoke,

    /// <summary>An <c>adaptiveCard/action</c> verb.</summary>
    CardAction,

    /// <summary>A message-extension search command id (<c>composeExtension/query</c>).</summary>
    MessageExtension,
}
