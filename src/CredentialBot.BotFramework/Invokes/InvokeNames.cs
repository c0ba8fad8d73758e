namespace CredentialBot.BotFramework.Invokes;

/// <summary>Invoke names Teams sends that this library routes.</summary>
public static class InvokeNames
{
    /// <summary>Action.Execute (Universal Actions), routed by verb.</summary>
    public const string AdaptiveCardAction = "adaptiveCard/action";

    /// <summary>Open a dialog from a bot card.</summary>
    public const string TaskFetch = "task/fetch";

    /// <summary>A dialog was submitted.</summary>
    public const string TaskSubmit = "task/submit";

    /// <summary>Message-extension search, routed by command id.</summary>
    public const string MessagingExtensionQuery = "composeExtension/query";

    /// <summary>Link unfurling.</summary>
    public const string MessagingExtensionQueryLink = "composeExtension/queryLink";
}
