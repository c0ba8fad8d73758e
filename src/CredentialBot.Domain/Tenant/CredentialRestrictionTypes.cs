namespace CredentialBot.Domain;

/// <summary>
/// Graph's <c>restrictionType</c> values for app-management policies: for passwords "passwordAddition,
/// passwordLifetime, symmetricKeyAddition, symmetricKeyLifetime, customPasswordAddition", for keys
/// "asymmetricKeyLifetime" (learn.microsoft.com/graph/api/resources/passwordcredentialconfiguration and
/// keycredentialconfiguration). Kept as strings so a value Graph adds later still reaches a card.
/// </summary>
public static class CredentialRestrictionTypes
{
    public const string PasswordAddition = "passwordAddition";
    public const string PasswordLifetime = "passwordLifetime";
    public const string CustomPasswordAddition = "customPasswordAddition";
    public const string SymmetricKeyAddition = "symmetricKeyAddition";
    public const string SymmetricKeyLifetime = "symmetricKeyLifetime";
    public const string AsymmetricKeyLifetime = "asymmetricKeyLifetime";
}
