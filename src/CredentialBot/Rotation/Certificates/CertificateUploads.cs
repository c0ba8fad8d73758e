using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CredentialBot.Directory;
using CredentialBot.Domain;

namespace CredentialBot.Rotation.Certificates;

/// <summary>
/// Reads what an owner pasted or attached as a new certificate (PEM text, base64 DER, or a binary .cer) into an
/// <see cref="UploadedCertificate"/> for <see cref="CertificateRules"/> to judge. It notices a private key (a PEM key
/// block, a PKCS#12 file) so the owner can be told it is exposed, but never loads or keeps one: a PKCS#12 file is
/// recognised by its content type alone.
/// </summary>
public static class CertificateUploads
{
    private const string CertificateHeader = "-----BEGIN CERTIFICATE-----";
    private const string CertificateFooter = "-----END CERTIFICATE-----";

    public static UploadedCertificate Read(string? text) =>
        Read(Encoding.UTF8.GetBytes(text?.Trim() ?? string.Empty));

    public static UploadedCertificate Read(ReadOnlySpan<byte> data)
    {
        if (data.Length > CertificateRules.MaxUploadBytes)
        {
            return new UploadedCertificate(null, null, 0, false, data.Length);
        }

        if (data.IsEmpty)
        {
            return new UploadedCertificate(null, null, 0, false, 0);
        }

        var text = Encoding.UTF8.GetString(data);
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            // "PRIVATE KEY" covers PKCS#8 (PRIVATE KEY, ENCRYPTED PRIVATE KEY) and the older RSA/EC PRIVATE KEY blocks.
            var carriesKey = text.Contains("PRIVATE KEY-----", StringComparison.Ordinal);
            var start = text.IndexOf(CertificateHeader, StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf(CertificateFooter, start, StringComparison.Ordinal);
            var der = end < 0 ? null : FromBase64(text[(start + CertificateHeader.Length)..end]);
            return Describe(der, carriesKey, data.Length);
        }

        var bytes = FromBase64(text) ?? data.ToArray();
        return Describe(bytes, false, data.Length);
    }

    private static UploadedCertificate Describe(byte[]? der, bool carriesKey, int length)
    {
        if (der is null)
        {
            return new UploadedCertificate(null, null, 0, carriesKey, length);
        }

        X509ContentType type;
        try
        {
            type = X509Certificate2.GetCertContentType(der);
        }
        catch (CryptographicException)
        {
            return new UploadedCertificate(null, null, 0, carriesKey, length);
        }

        if (type == X509ContentType.Pkcs12)
        {
            return new UploadedCertificate(null, null, 0, true, length);
        }

        if (PublicCertificates.TryRead(der) is not { } certificate)
        {
            return new UploadedCertificate(null, null, 0, carriesKey, length);
        }

        using var loaded = X509CertificateLoader.LoadCertificate(der);
        using var rsa = loaded.GetRSAPublicKey();
        using var ecdsa = rsa is null ? loaded.GetECDsaPublicKey() : null;
        var (algorithm, size) = rsa is not null ? ("RSA", rsa.KeySize) : ecdsa is not null ? ("ECDsa", ecdsa.KeySize) : (loaded.PublicKey.Oid.FriendlyName, 0);
        return new UploadedCertificate(certificate, algorithm, size, carriesKey, length);
    }

    private static byte[]? FromBase64(string text)
    {
        var compact = new string([.. text.Where(c => !char.IsWhiteSpace(c))]);
        if (compact.Length == 0)
        {
            return null;
        }

        var buffer = new byte[compact.Length];
        return Convert.TryFromBase64String(compact, buffer, out var written) ? buffer[..written] : null;
    }
}
