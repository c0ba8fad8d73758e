using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// Owners who left: technical and business owners' directory state (the store keeps them, so nobody else refreshes it),
/// and each owner found disabled or deleted, claimed once (a conditional update) for the card that asks the others to
/// replace them and once more for telling the admins, so several instances never tell anyone twice.
/// </summary>
public sealed class OwnerDepartureStore(CredentialBotDbContext db)
{
    private const int IdsPerStatement = 500;

    /// <summary>Every person the store keeps as a technical or business owner of some App.</summary>
    public async Task<IReadOnlyList<string>> KeptOwnersAsync(CancellationToken cancellationToken = default) =>
        await db.Owners.AsNoTracking().Where(o => o.Kind != OwnerKind.Entra).Select(o => o.PersonObjectId).Distinct()
            .ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Applies the directory's answer about <paramref name="asked"/> to the technical and business owners the store keeps:
    /// a person it did not return is deleted, one it did is enabled or disabled as it says. Only a complete answer may be
    /// applied: a person missing from a failed read would look deleted. Returns the owner rows changed.
    /// </summary>
    public async Task<int> ApplyDirectoryAsync(IReadOnlyCollection<string> asked, IReadOnlyDictionary<string, Person> found, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(asked);
        ArgumentNullException.ThrowIfNull(found);
        var changed = 0;
        foreach (var chunk in asked.Chunk(IdsPerStatement))
        {
            var gone = chunk.Where(id => !found.ContainsKey(id)).ToList();
            changed += await db.Owners.Where(o => o.Kind != OwnerKind.Entra && gone.Contains(o.PersonObjectId) && !o.Deleted)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Deleted, true), cancellationToken).ConfigureAwait(false);

            var disabled = chunk.Where(id => found.TryGetValue(id, out var p) && !p.AccountEnabled).ToList();
            var enabled = chunk.Where(id => found.TryGetValue(id, out var p) && p.AccountEnabled).ToList();
            changed += await db.Owners.Where(o => o.Kind != OwnerKind.Entra && disabled.Contains(o.PersonObjectId) && (o.AccountEnabled || o.Deleted))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.AccountEnabled, false).SetProperty(o => o.Deleted, false), cancellationToken).ConfigureAwait(false);
            changed += await db.Owners.Where(o => o.Kind != OwnerKind.Entra && enabled.Contains(o.PersonObjectId) && (!o.AccountEnabled || o.Deleted))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.AccountEnabled, true).SetProperty(o => o.Deleted, false), cancellationToken).ConfigureAwait(false);
        }

        return changed;
    }

    /// <summary>Owners active again (re-enabled, or restored) lose their departure, so leaving again is news again.</summary>
    public Task<int> ForgetReturnedAsync(CancellationToken cancellationToken = default) =>
        db.Owners.Where(o => o.InactiveFoundAt != null && o.AccountEnabled && !o.Deleted)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.InactiveFoundAt, (DateTimeOffset?)null).SetProperty(o => o.InactiveEscalatedAt, (DateTimeOffset?)null), cancellationToken);

    /// <summary>Owners disabled or deleted that nobody has acted on yet, on Apps still in the tenant.</summary>
    public async Task<IReadOnlyList<OwnerDeparture>> NewAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        [.. (await Departed().Where(o => o.InactiveFoundAt == null).ToListAsync(cancellationToken).ConfigureAwait(false)).Select(o => ToDeparture(o, now))];

    /// <summary>
    /// Claims one new departure for this caller alone, found at <paramref name="now"/>; false when another instance (or
    /// an earlier round) has it, or the owner is active again.
    /// </summary>
    public async Task<bool> ClaimAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await db.Owners.Where(o => o.Id == id && o.InactiveFoundAt == null && (!o.AccountEnabled || o.Deleted))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.InactiveFoundAt, now), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>Departures found earlier that nobody has resolved and the admins have not heard of.</summary>
    public async Task<IReadOnlyList<OwnerDeparture>> WaitingAsync(CancellationToken cancellationToken = default) =>
        [.. (await Departed().Where(o => o.InactiveFoundAt != null && o.InactiveEscalatedAt == null).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(o => ToDeparture(o, o.InactiveFoundAt!.Value))];

    /// <summary>Claims telling the admins about one departure; false when someone else did, or it was resolved meanwhile.</summary>
    public async Task<bool> ClaimEscalationAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await db.Owners.Where(o => o.Id == id && o.InactiveFoundAt != null && o.InactiveEscalatedAt == null && (!o.AccountEnabled || o.Deleted))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.InactiveEscalatedAt, now), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>Gives an escalation back when telling the admins failed, so a later round tries again.</summary>
    public Task<int> ReleaseEscalationAsync(long id, CancellationToken cancellationToken = default) =>
        db.Owners.Where(o => o.Id == id).ExecuteUpdateAsync(s => s.SetProperty(o => o.InactiveEscalatedAt, (DateTimeOffset?)null), cancellationToken);

    private IQueryable<OwnerRecord> Departed() =>
        db.Owners.AsNoTracking().Where(o => (!o.AccountEnabled || o.Deleted) && db.Apps.Any(a => a.ObjectId == o.AppObjectId && !a.Deleted));

    private static OwnerDeparture ToDeparture(OwnerRecord o, DateTimeOffset foundAt) =>
        new(o.Id, o.AppObjectId, new Owner(o.Kind, o.PersonObjectId, o.DisplayName, o.UserPrincipalName, o.AccountEnabled, o.Deleted, o.ManageCredentials), foundAt);
}
