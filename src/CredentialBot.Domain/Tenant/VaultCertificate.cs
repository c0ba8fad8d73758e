namespace CredentialBot.Domain;

/// <summary>A certificate version as its vault describes it: the public part only, where it is, and its tags.</summary>
/// <param name="Certificate">The public certificate (the private key stays in the vault).</param>
/// <param name="Id">The version's id, e.g. https://contoso.vault.azure.net/certificates/app-…-cert/0123…</param>
/// <param name="Tags">The version's tags (CredentialBot marks the versions it asks for).</param>
public sealed record VaultCertificate(PublicCertificate Certificate, Uri Id, IReadOnlyDictionary<string, string> Tags);
