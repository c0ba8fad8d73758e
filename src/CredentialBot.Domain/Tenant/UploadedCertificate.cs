namespace CredentialBot.Domain;

/// <summary>
/// What a file or pasted text offered as a new certificate turned out to hold: the certificate when one could be read,
/// its public key's algorithm and size, whether a private key came with it, and how many bytes were sent. Built by the
/// host from the bytes; judged by <see cref="CertificateRules.UploadProblems"/>. Never holds the private key itself.
/// </summary>
/// <param name="Certificate">The certificate, or null when nothing readable was found.</param>
/// <param name="KeyAlgorithm">The public key's algorithm (<c>RSA</c>, <c>ECDsa</c>…), when read.</param>
/// <param name="KeySize">The public key's size in bits; 0 when unknown.</param>
/// <param name="CarriesPrivateKey">True when a private key was sent with it (a PEM key block, a PKCS#12/PFX file).</param>
/// <param name="Bytes">How many bytes were sent.</param>
public sealed record UploadedCertificate(PublicCertificate? Certificate, string? KeyAlgorithm, int KeySize, bool CarriesPrivateKey, int Bytes);
