using CredentialBot.Domain;
using CredentialBot.Shared.Messaging;

namespace CredentialBot.Rotation.Certificates;

/// <summary>A certificate rotation that passed every check: the public certificate to add, where it came from, what it replaces.</summary>
/// <param name="App">The App.</param>
/// <param name="Certificate">The new public certificate (no private key, by construction).</param>
/// <param name="Source">Where it came from, for the audit trail and the card ("made by Key Vault …", "uploaded").</param>
/// <param name="Replacing">The certificate it replaces, removed after the grace period; null keeps every certificate.</param>
/// <param name="GraceDays">Days until the replaced certificate is removed.</param>
/// <param name="Card">The card the rotation was started from, redrawn with the receipt when the new certificate is first used.</param>
public sealed record CertificateRotationRequest(App App, PublicCertificate Certificate, string Source, Credential? Replacing, int GraceDays, PostedCard? Card = null);
