using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>The result of checking the audit chain.</summary>
public sealed record AuditVerification(bool Intact, long? FirstBrokenSequence, long Count);

/// <summary>
/// The append-only audit trail. Each event's hash covers its own fields and the previous event's hash, and
/// sequences have no gaps, so an edited, inserted or deleted row breaks the chain at that point.
/// Appends take the next sequence; the primary key makes a concurrent append fail, and it retries.
/// </summary>
public sealed class AuditLog(CredentialBotDbContext db)
{
    /// <summary>The chain's anchor: the "previous hash" of the first event.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private const int MaxAttempts = 5;

    public async Task<long> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        for (var attempt = 1; ; attempt++)
        {
            var last = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            var record = new AuditEventRecord
            {
                Sequence = (last?.Sequence ?? 0) + 1,
                At = auditEvent.At,
                ActorObjectId = auditEvent.ActorObjectId,
                ActorName = auditEvent.ActorName,
                AppObjectId = auditEvent.AppObjectId,
                Operation = auditEvent.Operation,
                Outcome = auditEvent.Outcome,
                Reason = auditEvent.Reason,
                Ticket = auditEvent.Ticket,
                PreviousHash = last?.Hash ?? GenesisHash,
                Hash = string.Empty,
            };
            record.Hash = HashOf(record);
            db.AuditEvents.Add(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return record.Sequence;
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                // Another writer took this sequence number; read the new head and link to it instead.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Walks the whole chain in order and reports the first event that does not verify.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var expectedPrevious = GenesisHash;
        long expectedSequence = 1;
        long count = 0;
        await foreach (var record in db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            count++;
            if (record.Sequence != expectedSequence || record.PreviousHash != expectedPrevious || record.Hash != HashOf(record))
            {
                // A gap means the row(s) before this one were deleted: the break is at the first missing sequence.
                return new AuditVerification(false, Math.Min(record.Sequence, expectedSequence), count);
            }

            expectedPrevious = record.Hash;
            expectedSequence++;
        }

        return new AuditVerification(true, null, count);
    }

    /// <summary>Every event in chain order (or one App's), streamed: exports never hold the trail in memory.</summary>
    public IAsyncEnumerable<(long Sequence, AuditEvent Event, string Hash)> StreamAsync(string? appObjectId = null) =>
        db.AuditEvents.AsNoTracking().Where(e => appObjectId == null || e.AppObjectId == appObjectId).OrderBy(e => e.Sequence)
            .Select(e => new ValueTuple<long, AuditEvent, string>(e.Sequence, new AuditEvent(e.ActorObjectId, e.ActorName, e.AppObjectId, e.Operation, e.Outcome, e.Reason, e.Ticket, e.At), e.Hash))
            .AsAsyncEnumerable();

    /// <summary>The most recent events about one App, newest first.</summary>
    public async Task<IReadOnlyList<AuditEvent>> ListForAppAsync(string appObjectId, int max, CancellationToken cancellationToken = default) =>
        await db.AuditEvents.AsNoTracking().Where(e => e.AppObjectId == appObjectId)
            .OrderByDescending(e => e.Sequence).Take(max)
            .Select(e => new AuditEvent(e.ActorObjectId, e.ActorName, e.AppObjectId, e.Operation, e.Outcome, e.Reason, e.Ticket, e.At))
            .ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>SHA-256 over a length-prefixed encoding of every field, so no two different events share an encoding.</summary>
    internal static string HashOf(AuditEventRecord record)
    {
        var builder = new StringBuilder();
        foreach (var field in new[]
        {
            record.Sequence.ToString(CultureInfo.InvariantCulture),
            record.At.UtcTicks.ToString(CultureInfo.InvariantCulture),
            record.ActorObjectId, record.ActorName, record.AppObjectId, record.Operation, record.Outcome, record.Reason, record.Ticket,
            record.PreviousHash,
        })
        {
            builder.Append(field is null ? "-1" : field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('|');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
