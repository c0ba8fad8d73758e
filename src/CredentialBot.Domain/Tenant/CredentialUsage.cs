namespace CredentialBot.Domain;

/// <summary>
/// Sign-in activity for one App, from Entra's usage reports: each of its credentials with its last use (every credential
/// the App has now is listed, unused ones with no date), and the App's own last sign-in in any flow, when known.
/// </summary>
public sealed record CredentialUsage(IReadOnlyList<CredentialLastUse> Credentials, DateTimeOffset? AppLastSignIn)
{
    public DateTimeOffset? LastUseOf(string keyId) =>
        Credentials.FirstOrDefault(c => string.Equals(c.KeyId, keyId, StringComparison.OrdinalIgnoreCase))?.LastSignIn;
}
