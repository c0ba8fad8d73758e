using CredentialBot.Domain;

namespace CredentialBot.Rotation;

/// <summary>The credential a rotation dialog says it replaces: card data, so checked against the App's own credentials.</summary>
public static class CredentialToReplace
{
    /// <summary>
    /// False when <paramref name="keyId"/> names something that is not one of <paramref name="app"/>'s credentials of
    /// <paramref name="kind"/>; otherwise true, with that credential, or null when none was named.
    /// </summary>
    public static bool TryFind(App app, string? keyId, CredentialKind kind, out Credential? replacing)
    {
        ArgumentNullException.ThrowIfNull(app);
        replacing = keyId is { Length: > 0 } ? app.Credentials.FirstOrDefault(c => c.KeyId == keyId) : null;
        return keyId is not { Length: > 0 } || replacing?.Kind == kind;
    }
}
