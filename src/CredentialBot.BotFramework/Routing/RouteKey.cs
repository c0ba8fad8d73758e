namespace CredentialBot.BotFramework.Routing;

/// <summary>A routing-table key. Names compare ordinally: protocol names and verbs are case-sensitive.</summary>
/// <param name="Kind">What the name is: an activity type, an invoke name, a card verb or a command id.</param>
/// <param name="Name">The type, name, verb or command id.</param>
public readonly record struct RouteKey(RouteKind Kind, string Name)
{
    /// <summary>Route a non-invoke activity type.</summary>
    public static RouteKey ForActivity(string type) => new(RouteKind.Activity, type);

    /// <summary>Route an invoke by name.</summary>
    public static RouteKey ForInvoke(string name) => new(RouteKind.Invoke, name);

    /// <summary>Route an Action.Execute verb.</summary>
    public static RouteKey ForCardAction(string verb) => new(RouteKind.CardAction, verb);

    /// <summary>Route a message-extension search command id.</summary>
    public static RouteKey ForMessageExtension(string commandId) => new(RouteKind.MessageExtension, commandId);

    /// <inheritdoc />
    public override string ToString() => $"{Kind}:{Name}";
}
