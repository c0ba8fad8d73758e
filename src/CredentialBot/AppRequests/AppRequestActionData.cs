using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.AppRequests;

/// <summary>
/// Data of Approve, Deny and the refresh of a new app registration's approval card: the request's id and, merged in by
/// Teams from the card's input, the approver's reason. Untrusted: the decider is the authenticated sender.
/// </summary>
/// <param name="Request">The request's id.</param>
/// <param name="Reason">What the approver typed as the reason (required to deny).</param>
public sealed record AppRequestActionData(
    [property: JsonPropertyName("appRequest")] long Request,
    [property: JsonPropertyName("reason")] string? Reason = null) : IWellFormed
{
    public bool IsWellFormed() => Request > 0 && Reason is null or { Length: <= 2000 };
}
