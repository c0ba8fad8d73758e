using CredentialBot.Domain;

namespace CredentialBot.Shared.Commands;

/// <summary>The App a command names, or the reply to send instead (a question, the choices, or why nothing matched).</summary>
/// <param name="App">The one App meant; null when there is none.</param>
/// <param name="Reply">What to answer when there is no App.</param>
public sealed record AppLookupResult(App? App, CommandReply? Reply);
