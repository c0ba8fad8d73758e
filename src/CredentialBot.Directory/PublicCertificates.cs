using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CredentialBot.Domain;

namespace CredentialBot.Directory;

/// <summary>Reads the public part of a certificate (a <c>.cer</c>'s DER or PEM) into a <see cref="PublicCertificate"/>.</summary>
public static class PublicCertificates
{
    /// <summary>
    /// The certificate in <paramref name="data"/>, or null when it is not a lone X.509 certificate. A PKCS#12 file (which
    /// would carry a private key) is refused rather than stripped: whoever sends one has put a private key where it must
    /// not go, and should be told.
    /// </summary>
    public static PublicCertificate? TryRead(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return null;
        }

        try
        {
            if (X509Certificate2.GetCertContentType(data) != X509ContentType.Cert)
            {
                return null;
            }

            using var certificate = X509CertificateLoader.LoadCertificate(data);
            return new PublicCertificate(
                certificate.RawData,
                certificate.Thumbprint,
                certificate.Subject,
                new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
