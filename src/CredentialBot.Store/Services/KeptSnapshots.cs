using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// The one way a snapshot table is written and read: append, keep the latest <see cref="Kept"/>, read the latest two
/// (the newest and the one before it, for "changed since the previous scan").
/// </summary>
internal static class KeptSnapshots
{
    /// <summary>Rows older than this many are pruned on save.</summary>
    public const int Kept = 100;

    public static async Task AppendAsync<TRow>(CredentialBotDbContext db, TRow row, CancellationToken cancellationToken)
        where TRow : class, ISnapshotRow
    {
        var rows = db.Set<TRow>();
        rows.Add(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
        var cutoff = await rows.OrderByDescending(s => s.Id).Skip(Kept).Select(s => (long?)s.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (cutoff is { } id)
        {
            await rows.Where(s => s.Id <= id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<(TValue? Latest, TValue? Previous)> LatestTwoAsync<TRow, TValue>(CredentialBotDbContext db, Func<TRow, TValue?> read, CancellationToken cancellationToken)
        where TRow : class, ISnapshotRow
        where TValue : class
    {
        var rows = await db.Set<TRow>().AsNoTracking().OrderByDescending(s => s.Id).Take(2).ToListAsync(cancellationToken).ConfigureAwait(false);
        return (rows.Count > 0 ? read(rows[0]) : null, rows.Count > 1 ? read(rows[1]) : null);
    }
}
