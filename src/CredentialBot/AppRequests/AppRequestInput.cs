using CredentialBot.Shared.Dialogs;

namespace CredentialBot.AppRequests;

/// <summary>What a person typed into the request form, as text (untrusted), so the form can be shown again as it was.</summary>
public sealed record AppRequestInput(string? Name, string? Purpose, string? Type, string? TechnicalOwners, string? BusinessOwner, string? Policy, string? Ticket)
{
    public static AppRequestInput Empty { get; } = new(null, null, null, null, null, null, null);

    public static AppRequestInput From(DialogRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(
            request.Input("name"),
            request.Input("purpose"),
            request.Input("type"),
            request.Input("technicalOwners"),
            request.Input("businessOwner"),
            request.Input("policy"),
            request.Input("ticket") is { Length: > 0 } ticket ? ticket : null);
    }
}
