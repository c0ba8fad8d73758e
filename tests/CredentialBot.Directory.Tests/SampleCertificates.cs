using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CredentialBot.Domain;

namespace CredentialBot.Directory.Tests;

/// <summary>Certificates for tests: real X.509, ECDSA so that many are made quickly.</summary>
internal static class SampleCertificates
{
    public static PublicCertificate Public(string subject = "CN=test", int days = 365, DateTimeOffset? from = null)
    {
        var start = from ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(start, start.AddDays(days));
        return PublicCertificates.TryRead(certificate.Export(X509ContentType.Cert))!;
    }

    /// <summary>A PKCS#12 file: a certificate with its private key, which must never be accepted.</summary>
    public static byte[] Pfx(string subject = "CN=with-private-key")
    {
        using var key = RSA.Create(2048);
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var certificate = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(now, now.AddYears(1));
        return certificate.Export(X509ContentType.Pfx);
    }
}
