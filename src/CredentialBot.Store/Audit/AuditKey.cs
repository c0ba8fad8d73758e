using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CredentialBot.Store.Audit;

/// <summary>
/// The audit chain key: HMAC-SHA256 over a length-prefixed encoding of fields, with a domain label per use so an event
/// MAC can never pass for a checkpoint MAC. <see cref="Id"/> is a fingerprint that names the key in messages and
/// checkpoints without revealing it. The key bytes never leave this type; <see cref="ToString"/> shows only the id.
/// </summary>
internal sealed class AuditKey
{
    private readonly byte[] _key;

    public AuditKey(byte[] key, string source)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < AuditOptions.MinimumKeyBytes)
        {
            throw new ArgumentException($"An audit key needs at least {AuditOptions.MinimumKeyBytes} bytes.", nameof(key));
        }

        _key = key;
        Source = source;
        Id = Mac("CredentialBot.AuditKeyId.v1", [])[..16];
    }

    /// <summary>Where the key came from, for messages: "Audit:ChainKey" or "the key file …".</summary>
    public string Source { get; }

    /// <summary>The first 64 bits of the key's MAC over a fixed label: stable, and useless for forging.</summary>
    public string Id { get; }

    /// <summary>The key bytes in base64, or null when the text is not base64 of at least <see cref="AuditOptions.MinimumKeyBytes"/> bytes.</summary>
    public static byte[]? TryDecode(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }

        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var written) && written >= AuditOptions.MinimumKeyBytes ? buffer[..written] : null;
    }

    /// <summary>Hex HMAC-SHA256 over <paramref name="domain"/> and the fields.</summary>
    public string Mac(string domain, IEnumerable<string?> fields) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encode([domain, .. fields])));

    /// <summary>Whether <paramref name="mac"/> is this key's MAC over the fields (compared in constant time).</summary>
    public bool Verifies(string? mac, string domain, IEnumerable<string?> fields) =>
        mac is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(mac), Encoding.ASCII.GetBytes(Mac(domain, fields)));

    public override string ToString() => $"audit key {Id}";

    /// <summary>Each field as its length, ':', the field and '|' (null as -1), so no two different lists share an encoding.</summary>
    public static byte[] Encode(IEnumerable<string?> fields)
    {
        var builder = new StringBuilder();
        foreach (var field in fields)
        {
            builder.Append(field is null ? "-1" : field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('|');
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
