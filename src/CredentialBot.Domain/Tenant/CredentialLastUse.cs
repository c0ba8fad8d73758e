namespace CredentialBot.Domain;

/// <summary>When an App's credential <see cref="KeyId"/> was last used to sign in; null when no sign-in is recorded.</summary>
public sealed record CredentialLastUse(string KeyId, DateTimeOffset? LastSignIn);
