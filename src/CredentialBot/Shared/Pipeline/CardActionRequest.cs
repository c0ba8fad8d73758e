using CredentialBot.BotFramework.Routing;
using CredentialBot.Domain;

namespace CredentialBot.Shared.Pipeline;

/// <summary>A button press: its typed data, who pressed it (admin membership resolved), and the turn.</summary>
/// <param name="Data">The button's data; untrusted input, already well-formed.</param>
/// <param name="Who">The authenticated person.</param>
/// <param name="Turn">The turn, for the rare action that also updates other messages.</param>
public sealed record CardActionRequest<TData>(TData Data, Principal Who, TurnContext Turn);
