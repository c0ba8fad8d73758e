using CredentialBot.Domain;
using CredentialBot.Requests;
using CredentialBot.Shared.Apps;
using CredentialBot.Shared.Audit;
using CredentialBot.Store.Services;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.Ownership;

/// <summary>
/// Applies owner changes once they are authorized (directly or by approval): Entra owners through Graph
/// <c>owners/$ref</c>, technical and business owners in the store. Each change is audited with who made it; a
/// store-kept owner's change commits with its event (an Entra one is Graph's: it is audited once Entra answered).
/// </summary>
public sealed class OwnerChanges(ITenantAdministration administration, OwnershipStore ownerships, AppRefresher refresher, AuditTrail audit, NewOwnerNotices newOwners)
{
    /// <summary>Adds the person (and, for a transfer, removes the one they replace); the message says what happened.</summary>
    public async Task<(bool Done, string Message)> ApplyAsync(App app, OwnerChange change, Principal actor, string? reason, string? ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(actor);
        var operation = change.ReplacesObjectId is null ? AuditOperation.AddOwner : AuditOperation.TransferOwnership;
        var kindTitle = RequestCard.OwnerKindTitle(change);
        if (change.Kind != OwnerKind.Entra)
        {
            await audit.BeginChangeAsync(cancellationToken);
        }

        try
        {
            if (change.Kind == OwnerKind.Entra)
            {
                if (!app.OwnersOf(OwnerKind.Entra).Any(o => o.ObjectId == change.PersonObjectId))
                {
                    await administration.AddEntraOwnerAsync(app.Kind, app.ObjectId, change.PersonObjectId, cancellationToken);
                }
            }
            else
            {
                await ownerships.AddOwnerAsync(app.ObjectId, new Owner(change.Kind, change.PersonObjectId, change.PersonName, change.PersonUpn, true, false, change.ManageCredentials), cancellationToken);
            }

            if (change.ReplacesObjectId is { } replaced)
            {
                if (change.Kind == OwnerKind.Entra)
                {
                    await administration.RemoveEntraOwnerAsync(app.Kind, app.ObjectId, replaced, cancellationToken);
                }
                else
                {
                    await ownerships.RemoveOwnerAsync(app.ObjectId, replaced, change.Kind, cancellationToken);
                }
            }
        }
        catch (ODataError error)
        {
            var failure = $"Entra refused the owner change: {error.Error?.Message ?? error.Message}";
            await audit.RecordAsync(actor, app.ObjectId, operation, AuditOutcome.Failed, failure, ticket, cancellationToken);
            return (false, failure);
        }

        if (change.Kind == OwnerKind.Entra)
        {
            await refresher.RefreshAsync(app.Kind, app.ObjectId, cancellationToken);
        }

        var replacedName = change.ReplacesObjectId is { } r ? app.Owners.FirstOrDefault(o => o.ObjectId == r)?.DisplayName ?? r : null;
        var summary = replacedName is null
            ? $"{change.PersonName} is now a {kindTitle.ToLowerInvariant()} of {app.DisplayName}."
            : $"{change.PersonName} replaced {replacedName} as {kindTitle.ToLowerInvariant()} of {app.DisplayName}.";
        await audit.RecordAsync(actor, app.ObjectId, operation, AuditOutcome.Succeeded, string.IsNullOrWhiteSpace(reason) ? summary : $"{summary} Reason: {reason}", ticket, cancellationToken);
        await audit.CommitChangeAsync(cancellationToken);
        // Told only once the change is committed: sending while the change holds the store's write lock would wait on it.
        await newOwners.TellAsync(app, change.Kind, change.PersonObjectId, change.ManageCredentials, actor, replacedName is null ? "Added" : $"Handed over from {replacedName}", cancellationToken);
        return (true, summary);
    }

    /// <summary>Removes an owner unless the policy needs them as the last of their kind.</summary>
    public async Task<(bool Done, string Message)> RemoveAsync(App app, Policy policy, string personObjectId, OwnerKind kind, Principal actor, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(actor);
        var allowed = OwnershipRules.CheckRemoval(app, policy, personObjectId, kind);
        if (!allowed.Allowed)
        {
            await audit.RefusedAsync(actor, app.ObjectId, AuditOperation.RemoveOwner, allowed.Explanation, cancellationToken);
            return (false, allowed.Explanation);
        }

        var name = app.OwnersOf(kind).First(o => o.ObjectId == personObjectId).DisplayName;
        if (kind != OwnerKind.Entra)
        {
            await audit.BeginChangeAsync(cancellationToken);
        }

        try
        {
            if (kind == OwnerKind.Entra)
            {
                await administration.RemoveEntraOwnerAsync(app.Kind, app.ObjectId, personObjectId, cancellationToken);
                await refresher.RefreshAsync(app.Kind, app.ObjectId, cancellationToken);
            }
            else
            {
                await ownerships.RemoveOwnerAsync(app.ObjectId, personObjectId, kind, cancellationToken);
            }
        }
        catch (ODataError error)
        {
            var failure = $"Entra refused the removal: {error.Error?.Message ?? error.Message}";
            await audit.RecordAsync(actor, app.ObjectId, AuditOperation.RemoveOwner, AuditOutcome.Failed, failure, cancellationToken);
            return (false, failure);
        }

        var summary = $"{name} is no longer a {OwnershipRules.KindName(kind)} owner of {app.DisplayName}.";
        await audit.RecordAsync(actor, app.ObjectId, AuditOperation.RemoveOwner, AuditOutcome.Succeeded, string.IsNullOrWhiteSpace(reason) ? summary : $"{summary} Reason: {reason}", cancellationToken);
        await audit.CommitChangeAsync(cancellationToken);
        return (true, summary);
    }
}
