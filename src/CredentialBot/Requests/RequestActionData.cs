using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Requests;

/// <summary>Data of Approve, Deny and the refresh of a request card: only the request's id.</summary>
/// <param name="Request">The request's id.</param>
public sealed record RequestActionData([property: JsonPropertyName("request")] long Request) : IWellFormed
{
    public bool IsWellFormed() => Request > 0;
}
