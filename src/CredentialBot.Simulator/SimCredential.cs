namespace CredentialBot.Simulator;

/// <summary>
/// A password (secret) or key (certificate) credential as Graph describes it. A key credential's <see cref="Key"/> is the
/// certificate's base64 DER; when null (generated tenants), the Simulator serves one shared real certificate instead.
/// </summary>
public sealed record SimCredential(
    string KeyId,
    string? DisplayName,
    DateTimeOffset StartDateTime,
    DateTimeOffset EndDateTime,
    string? Hint = null,
    string? CustomKeyIdentifier = null,
    string? Key = null,
    string Usage = "Verify",
    string Type = "AsymmetricX509Cert");
