using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CredentialBot.Shared.Audit;
using Microsoft.Extensions.Options;

namespace CredentialBot.Admin.Export;

/// <summary>
/// Short-lived, single-use signed download links for exports: the link names the export, the admin it was made for,
/// when it expires and a random one-time id, signed with HMAC-SHA256. The download checks the signature (in constant
/// time), the expiry, and that the person is still an admin; the endpoint then consumes the one-time id, so a second
/// download is refused. Anyone holding a link can use it once until it expires, which is why it is sent only to the
/// admin's personal chat.
/// </summary>
public sealed class ExportLinks(IOptions<ExportOptions> options, TimeProvider time)
{
    public Uri Create(ExportKind kind, string personObjectId)
    {
        var settings = options.Value;
        var expires = time.GetUtcNow().Add(settings.LinkLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var path = $"exports/{Name(kind)}?by={Uri.EscapeDataString(personObjectId)}&expires={expires}&id={id}&sig={Sign(kind, personObjectId, expires, id)}";
        return new Uri(new Uri(settings.PublicBaseUrl!.TrimEnd('/') + "/"), path);
    }

    /// <summary>Null when the link is good, else why not (for a 4xx answer).</summary>
    public (int Status, string Reason)? Check(ExportKind kind, string? by, string? expires, string? id, string? signature)
    {
        if (string.IsNullOrEmpty(by) || string.IsNullOrEmpty(expires) || string.IsNullOrEmpty(signature) || by.Length > 128 || expires.Length > 20 || id is not { Length: 32 } || signature.Length != 64)
        {
            return (400, "The link is incomplete.");
        }

        var expected = Encoding.ASCII.GetBytes(Sign(kind, by, expires, id));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature.ToLowerInvariant())))
        {
            return (403, "The link's signature does not match.");
        }

        return !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || time.GetUtcNow().ToUnixTimeSeconds() > seconds
            ? (410, "The link has expired; ask the bot for a new one.")
            : null;
    }

    public static string Name(ExportKind kind) => kind == ExportKind.Audit ? "audit" : "compliance";

    /// <summary>What making and downloading this export is audited as.</summary>
    public static AuditOperation OperationOf(ExportKind kind) => kind == ExportKind.Audit ? AuditOperation.ExportAudit : AuditOperation.ExportCompliance;

    private string Sign(ExportKind kind, string person, string expires, string id) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.SigningKey!), Encoding.UTF8.GetBytes($"{Name(kind)}\n{person}\n{expires}\n{id}")));
}
