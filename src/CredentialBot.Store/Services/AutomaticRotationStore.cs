using System.Linq.Expressions;
using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// Hands-free rotations of secrets and Key Vault-made certificates. A rotation starts once per (App, old credential) — an <c>INSERT … ON CONFLICT DO NOTHING</c>, so two
/// instances finding the same secret due create one row — and every step after is a conditional update: a row is worked
/// on only by whoever claimed it (<see cref="ClaimAsync"/>), and each of its one-time events (told, removal scheduled,
/// escalated) is claimed once. Values never pass through here.
/// </summary>
public sealed class AutomaticRotationStore(CredentialBotDbContext db)
{
    private static readonly AutomaticRotationState[] Unfinished = [AutomaticRotationState.Pending, AutomaticRotationState.Adding, AutomaticRotationState.Added];

    /// <summary>
    /// Per App, the secrets the bot must not rotate on its own: those it already started a rotation for, and those a
    /// person's rotation replaced (their removal is scheduled).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlySet<string>>> HandledAsync(IReadOnlyCollection<string> appObjectIds, CancellationToken cancellationToken = default)
    {
        var automatic = await db.AutomaticRotations.AsNoTracking().Where(r => appObjectIds.Contains(r.AppObjectId))
            .Select(r => new { r.AppObjectId, KeyId = r.OldKeyId }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var replaced = await db.SecretRemovals.AsNoTracking().Where(r => appObjectIds.Contains(r.AppObjectId) && r.Status == SecretRemovalStatus.Scheduled)
            .Select(r => new { r.AppObjectId, r.KeyId }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return automatic.Concat(replaced).GroupBy(r => r.AppObjectId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(r => r.KeyId).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>Starts a rotation of one secret or certificate; false when one was already started for it (here or on another instance).</summary>
    public async Task<bool> StartAsync(string appObjectId, AppKind kind, Credential old, string policyName, string marker, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(old);
        var kindName = kind.ToString();
        var credentialKind = old.Kind.ToString();
        var state = nameof(AutomaticRotationState.Pending);
        // Times are stored as UTC ticks (the model's converter), which raw SQL has to do itself.
        var (endsAt, createdAt) = (old.EndsAt.UtcTicks, now.UtcTicks);
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO "AutomaticRotations" ("AppObjectId", "AppKind", "OldKeyId", "CredentialKind", "OldCredentialName", "OldEndsAt", "PolicyName", "Marker", "State", "Attempts", "CreatedAt")
            VALUES ({appObjectId}, {kindName}, {old.KeyId}, {credentialKind}, {old.DisplayName}, {endsAt}, {policyName}, {marker}, {state}, 0, {createdAt})
            ON CONFLICT ("AppObjectId", "OldKeyId") DO NOTHING
            """,
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Rotations not yet delivered that nobody holds (a crashed holder's claim has lapsed), oldest first.</summary>
    public Task<List<AutomaticRotationEntry>> UnfinishedAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        Entries(r => Unfinished.Contains(r.State) && (r.ClaimedUntil == null || r.ClaimedUntil <= now), max, cancellationToken);

    /// <summary>Rotations refused for want of an allowed vault.</summary>
    public Task<List<AutomaticRotationEntry>> RefusedAsync(int max, CancellationToken cancellationToken = default) =>
        Entries(r => r.State == AutomaticRotationState.Refused, max, cancellationToken);

    /// <summary>Rotations whose new secret is in the vault and waits for its first use.</summary>
    public Task<List<AutomaticRotationEntry>> DeliveredAsync(int max, CancellationToken cancellationToken = default) =>
        Entries(r => r.State == AutomaticRotationState.Delivered, max, cancellationToken);

    /// <summary>Delivered rotations of these Apps (for the owners' digest), newest first.</summary>
    public Task<List<AutomaticRotationEntry>> ForAppsAsync(IReadOnlyCollection<string> appObjectIds, CancellationToken cancellationToken = default) =>
        Entries(r => appObjectIds.Contains(r.AppObjectId) && r.DeliveredAt != null, int.MaxValue, cancellationToken);

    /// <summary>
    /// Takes an unfinished rotation until <paramref name="until"/>; false when another instance holds it or it moved on.
    /// A crash leaves the claim to lapse, and whoever claims it next finds what the crashed attempt left behind.
    /// </summary>
    public async Task<bool> ClaimAsync(long id, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        await db.AutomaticRotations.Where(r => r.Id == id && Unfinished.Contains(r.State) && (r.ClaimedUntil == null || r.ClaimedUntil <= now))
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.ClaimedUntil, until), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>Recorded before addPassword is called: from here on a secret with the marker may exist.</summary>
    public Task MarkAddingAsync(long id, CancellationToken cancellationToken = default) =>
        db.AutomaticRotations.Where(r => r.Id == id)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.State, AutomaticRotationState.Adding).SetProperty(r => r.Attempts, r => r.Attempts + 1).SetProperty(r => r.NewKeyId, (string?)null), cancellationToken);

    /// <summary>
    /// Recorded as soon as addPassword answers, before the vault is written; for a certificate, once Entra has its public
    /// key (<paramref name="thumbprint"/>).
    /// </summary>
    public Task MarkAddedAsync(long id, string newKeyId, DateTimeOffset endsAt, string? thumbprint = null, CancellationToken cancellationToken = default) =>
        db.AutomaticRotations.Where(r => r.Id == id)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.State, AutomaticRotationState.Added).SetProperty(r => r.NewKeyId, newKeyId).SetProperty(r => r.NewEndsAt, endsAt).SetProperty(r => r.NewThumbprint, thumbprint), cancellationToken);

    /// <summary>
    /// The value is in the vault: the rotation is done; what follows waits for the receipt. False when the row no longer
    /// names this secret (a holder whose claim lapsed while it worked, and someone else started over).
    /// </summary>
    public async Task<bool> MarkDeliveredAsync(long id, string newKeyId, string vaultSecretId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await db.AutomaticRotations.Where(r => r.Id == id && r.State == AutomaticRotationState.Added && r.NewKeyId == newKeyId)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.State, AutomaticRotationState.Delivered).SetProperty(r => r.VaultSecretId, vaultSecretId).SetProperty(r => r.DeliveredAt, now).SetProperty(r => r.ClaimedUntil, (DateTimeOffset?)null).SetProperty(r => r.Problem, (string?)null), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>
    /// An attempt failed and was undone; the next is not tried before <paramref name="retryAt"/>. Only the claim the
    /// attempt holds (<paramref name="claimedUntil"/>, what <see cref="ClaimAsync"/> set) is failed: false when it lapsed
    /// and another attempt took the rotation over (and may have delivered it), which is then left as it is.
    /// </summary>
    public async Task<bool> FailAsync(long id, string problem, DateTimeOffset claimedUntil, DateTimeOffset retryAt, CancellationToken cancellationToken = default) =>
        await db.AutomaticRotations.Where(r => r.Id == id && Unfinished.Contains(r.State) && r.ClaimedUntil == claimedUntil)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.State, AutomaticRotationState.Pending).SetProperty(r => r.NewKeyId, (string?)null).SetProperty(r => r.Problem, problem).SetProperty(r => r.ClaimedUntil, retryAt), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>
    /// Refused: for want of an allowed vault (<see cref="AutomaticRotationState.Refused"/>, reopened when the App gets one), or
    /// for good (<see cref="AutomaticRotationState.LeftToPeople"/>); false when it was no longer unfinished.
    /// </summary>
    public async Task<bool> RefuseAsync(long id, string problem, AutomaticRotationState state = AutomaticRotationState.Refused, CancellationToken cancellationToken = default) =>
        await db.AutomaticRotations.Where(r => r.Id == id && Unfinished.Contains(r.State))
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.State, state).SetProperty(r => r.Problem, problem).SetProperty(r => r.ClaimedUntil, (DateTimeOffset?)null), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>A refused rotation whose App now has an allowed vault goes ahead; false when someone else reopened it.</summary>
    public async Task<bool> ReopenAsync(long id, CancellationToken cancellationToken = default) =>
        await db.AutomaticRotations.Where(r => r.Id == id && r.State == AutomaticRotationState.Refused)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.State, AutomaticRotationState.Pending).SetProperty(r => r.ToldAt, (DateTimeOffset?)null), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>The old secret left the App before the rotation was done.</summary>
    public async Task<bool> AbandonAsync(long id, string why, CancellationToken cancellationToken = default) =>
        await db.AutomaticRotations.Where(r => r.Id == id && r.State != AutomaticRotationState.RemovalScheduled && r.State != AutomaticRotationState.Abandoned)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.State, AutomaticRotationState.Abandoned).SetProperty(r => r.Problem, why).SetProperty(r => r.ClaimedUntil, (DateTimeOffset?)null), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>Claims telling the owners (a delivery) or the admins (a refusal) once; false when someone already did.</summary>
    public async Task<bool> ClaimTellingAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await db.AutomaticRotations.Where(r => r.Id == id && r.ToldAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.ToldAt, now), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>The new secret was used: the old one's removal is scheduled once.</summary>
    public async Task<bool> MarkRemovalScheduledAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await db.AutomaticRotations.Where(r => r.Id == id && r.State == AutomaticRotationState.Delivered)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.State, AutomaticRotationState.RemovalScheduled).SetProperty(r => r.RemovalScheduledAt, now), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>Claims the one escalation of a new secret not used in time.</summary>
    public async Task<bool> ClaimEscalationAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await db.AutomaticRotations.Where(r => r.Id == id && r.State == AutomaticRotationState.Delivered && r.EscalatedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.EscalatedAt, now), cancellationToken).ConfigureAwait(false) == 1;

    private async Task<List<AutomaticRotationEntry>> Entries(Expression<Func<AutomaticRotationRecord, bool>> filter, int max, CancellationToken cancellationToken)
    {
        var rows = await db.AutomaticRotations.AsNoTracking().Where(filter).OrderBy(r => r.Id).Take(max).ToListAsync(cancellationToken).ConfigureAwait(false);
        var keys = rows.Where(r => r.NewKeyId != null).Select(r => r.NewKeyId!).ToList();
        var apps = rows.Select(r => r.AppObjectId).Distinct().ToList();
        var used = keys.Count == 0
            ? []
            : await db.RotationReceipts.AsNoTracking().Where(r => apps.Contains(r.AppObjectId) && keys.Contains(r.NewKeyId) && r.FirstUsedAt != null)
                .Select(r => new { r.AppObjectId, r.NewKeyId, r.FirstUsedAt }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new AutomaticRotationEntry(
            r.Id, r.AppObjectId, r.AppKind, r.OldKeyId, r.OldCredentialName, r.OldEndsAt, r.PolicyName, r.Marker, r.State, r.Attempts, r.NewKeyId, r.NewEndsAt,
            r.VaultSecretId, r.Problem, r.CreatedAt, r.DeliveredAt,
            used.FirstOrDefault(u => u.AppObjectId == r.AppObjectId && u.NewKeyId == r.NewKeyId)?.FirstUsedAt,
            r.RemovalScheduledAt, r.EscalatedAt)
        {
            Kind = r.CredentialKind,
            NewThumbprint = r.NewThumbprint,
        })];
    }
}
