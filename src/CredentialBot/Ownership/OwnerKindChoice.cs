using CredentialBot.Domain;

namespace CredentialBot.Ownership;

/// <summary>A kind of owner offered in the owner dialog.</summary>
/// <param name="Value">The choice's value in the form.</param>
/// <param name="Title">What the person reads.</param>
/// <param name="Kind">The owner kind.</param>
/// <param name="ManageCredentials">A technical owner who may rotate credentials.</param>
public sealed record OwnerKindChoice(string Value, string Title, OwnerKind Kind, bool ManageCredentials)
{
    /// <summary>The choices, in the order the form shows them.</summary>
    public static IReadOnlyList<OwnerKindChoice> All { get; } =
    [
        new("technical-rotate", "Technical owner who can rotate credentials", OwnerKind.Technical, true),
        new("technical", "Technical owner (notified, cannot rotate)", OwnerKind.Technical, false),
        new("business", "Business owner", OwnerKind.Business, false),
        new("entra", "Entra owner (full control in Entra)", OwnerKind.Entra, false),
    ];

    /// <summary>The choice with this value; null for anything else.</summary>
    public static OwnerKindChoice? Find(string? value) => All.FirstOrDefault(c => c.Value == value);
}
