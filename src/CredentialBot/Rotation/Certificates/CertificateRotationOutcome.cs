using CredentialBot.Domain;
using CredentialBot.Store.Services;

namespace CredentialBot.Rotation.Certificates;

/// <summary>What a certificate rotation did.</summary>
/// <param name="App">The App as re-read from the directory after the change.</param>
/// <param name="Added">The new certificate as the App lists it.</param>
/// <param name="Certificate">The certificate added (thumbprint, subject, validity).</param>
/// <param name="Removal">The scheduled removal of the replaced certificate.</param>
public sealed record CertificateRotationOutcome(App App, Credential Added, PublicCertificate Certificate, SecretRemoval? Removal);
