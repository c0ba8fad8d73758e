using CredentialBot.BotFramework.Schema;

namespace CredentialBot.BotFramework.Routing;

/// <summary>
/// An invoke whose data the router has already read into <typeparamref name="TData"/> and found well-formed. The data
/// is still untrusted input (a client can send anything that parses); <see cref="Actor"/> is the authenticated sender.
/// </summary>
/// <typeparam name="TData">The invoke's data: card data, dialog data, or a message-extension query.</typeparam>
public sealed class InvokeContext<TData>(TurnContext turn, TData data)
    where TData : class
{
    /// <summary>The invoke's data, parsed once by the router.</summary>
    public TData Data { get; } = data;

    /// <summary>The sender, from the authenticated activity.</summary>
    public Actor Actor => Turn.Actor;

    /// <summary>The authenticated activity.</summary>
    public Activity Activity => Turn.Activity;

    /// <summary>The turn: the request's services and the means to answer in this conversation.</summary>
    public TurnContext Turn { get; } = turn;
}
