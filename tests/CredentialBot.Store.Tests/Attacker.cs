using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Tests;

/// <summary>
/// Someone who can write the database (and has read the source, so knows every formula), but holds the audit key only
/// when a test hands it over. Each method is a way to cover tracks.
/// </summary>
public static class Attacker
{
    /// <summary>
    /// Edits one event's reason, then re-links every later event (up to <paramref name="through"/>) with
    /// <paramref name="mac"/> so the chain is consistent again as far as the attacker can make it.
    /// </summary>
    public static async Task RewriteFromAsync(CredentialBotDbContext db, long sequence, string reason, Func<AuditEventRecord, string> mac, long through = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(mac);
        var events = await db.AuditEvents.OrderBy(e => e.Sequence).ToListAsync();
        string? previous = null;
        foreach (var record in events)
        {
            if (record.Sequence == sequence)
            {
                record.Reason = reason;
            }

            if (record.Sequence >= sequence && record.Sequence <= through)
            {
                record.PreviousHash = previous ?? record.PreviousHash;
                record.Hash = mac(record);
            }

            previous = record.Hash;
        }

        await db.SaveChangesAsync();
    }

    /// <summary>The unkeyed formula: SHA-256 over the length-prefixed fields (what events were before keying).</summary>
    public static string Sha256(AuditEventRecord record) =>
        Convert.ToHexStringLower(SHA256.HashData(Encode(Fields(record))));

    /// <summary>The keyed formula, with whatever key the attacker has.</summary>
    public static string Hmac(byte[] key, AuditEventRecord record) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encode(["CredentialBot.AuditEvent.v2", .. Fields(record)])));

    /// <summary>A key the attacker made up.</summary>
    public static byte[] GuessedKey() => RandomNumberGenerator.GetBytes(32);

    public static Task<int> ExecuteAsync(CredentialBotDbContext db, string sql)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.ExecuteSqlRawAsync(sql);
    }

    private static string?[] Fields(AuditEventRecord record) =>
    [
        record.Sequence.ToString(CultureInfo.InvariantCulture), record.At.UtcTicks.ToString(CultureInfo.InvariantCulture),
        record.ActorObjectId, record.ActorName, record.AppObjectId, record.Operation, record.Outcome, record.Reason, record.Ticket, record.PreviousHash,
    ];

    private static byte[] Encode(IEnumerable<string?> fields)
    {
        var builder = new StringBuilder();
        foreach (var field in fields)
        {
            builder.Append(field is null ? "-1" : field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('|');
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
