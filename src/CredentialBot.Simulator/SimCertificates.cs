using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CredentialBot.Simulator;

/// <summary>Real X.509 certificates for the Simulator's key credentials, and the check Graph makes on a <c>key</c>.</summary>
public static class SimCertificates
{
    private static readonly Lazy<string> Placeholder = new(() => CreateSelfSigned(
        "CN=CredentialBot Simulator placeholder",
        new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2099, 12, 31, 0, 0, 0, TimeSpan.Zero)));

    /// <summary>
    /// One real RSA-2048 certificate (base64 DER, the size a real one has) served as the <c>key</c> of every key credential
    /// created without one, so a client that reads keys and sends them back sends a valid certificate. Made once per process.
    /// </summary>
    public static string SharedPlaceholder => Placeholder.Value;

    /// <summary>A self-signed RSA-2048 certificate's public part as base64 DER: what a <c>.cer</c> file holds.</summary>
    public static string CreateSelfSigned(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return Convert.ToBase64String(certificate.Export(X509ContentType.Cert));
    }

    /// <summary>
    /// The certificate in a key credential's <c>key</c> (base64 of a DER or PEM X.509 certificate), or null when it is not
    /// one: bad base64, random bytes, or a PKCS#12 file (which would carry a private key).
    /// </summary>
    public static X509Certificate2? TryRead(string? base64)
    {
        if (string.IsNullOrEmpty(base64))
        {
            return null;
        }

        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
        {
            return null;
        }

        try
        {
            var contentType = X509Certificate2.GetCertContentType(bytes.AsSpan(0, length));
            return contentType == X509ContentType.Cert ? X509CertificateLoader.LoadCertificate(bytes.AsSpan(0, length)) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
