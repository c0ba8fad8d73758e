namespace CredentialBot.Domain;

/// <summary>What a person may be allowed to do to one App.</summary>
public enum AppRight
{
    /// <summary>Add, rotate and remove secrets and certificates.</summary>
    ManageCredentials,

    /// <summary>Add, remove and transfer owners of every kind.</summary>
    ManageOwners,

    /// <summary>Read the App's audit trail.</summary>
    ViewAudit,
}

/// <summary>
/// The authenticated person acting. Built from the activity's <c>from.aadObjectId</c> (never from card data);
/// <see cref="IsAdmin"/> comes from configuration or security-group membership.
/// </summary>
public sealed record Principal(string ObjectId, string? DisplayName, bool IsAdmin);

/// <summary>A time-bound right for one person on one App, from an approved elevation.</summary>
public sealed record Grant(long Id, string AppObjectId, string PersonObjectId, AppRight Right, DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool Revoked = false)
{
    public bool IsActive(DateTimeOffset now) => !Revoked && StartsAt <= now && now < EndsAt;
}

/// <summary>An authorization outcome: allowed on some basis, or refused with a reason the person can read.</summary>
public sealed record Decision(bool Allowed, string Explanation)
{
    public static Decision Allow(string basis) => new(true, basis);

    public static Decision Refuse(string reason) => new(false, reason);
}

/// <summary>
/// Who may do what to an App. Admins may do everything. Entra owners may manage credentials and owners (they can
/// in Entra anyway). Technical owners holding ManageCredentials may manage credentials. Any owner may read the
/// audit trail. An active <see cref="Grant"/> allows exactly its right on its one App until it ends. Inactive
/// (disabled or deleted) owners have no rights.
/// </summary>
public static class Authorizer
{
    public static Decision Decide(Principal who, App app, AppRight right, IEnumerable<Grant> grants, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(who);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(grants);
        if (string.IsNullOrEmpty(who.ObjectId))
        {
            return Decision.Refuse("Teams did not say who you are.");
        }

        if (who.IsAdmin)
        {
            return Decision.Allow("CredentialBot admin");
        }

        var mine = app.Owners.Where(o => !o.IsInactive && string.Equals(o.ObjectId, who.ObjectId, StringComparison.Ordinal)).ToList();
        var isEntraOwner = mine.Any(o => o.Kind == OwnerKind.Entra);
        switch (right)
        {
            case AppRight.ManageCredentials when isEntraOwner:
                return Decision.Allow("Entra owner");
            case AppRight.ManageCredentials when mine.Any(o => o.Kind == OwnerKind.Technical && o.CanManageCredentials):
                return Decision.Allow("technical owner with ManageCredentials");
            case AppRight.ManageOwners when isEntraOwner:
                return Decision.Allow("Entra owner");
            case AppRight.ViewAudit when mine.Count > 0:
                return Decision.Allow("owner");
        }

        var grant = grants.Where(g => g.IsActive(now) && g.Right == right
                && string.Equals(g.AppObjectId, app.ObjectId, StringComparison.Ordinal)
                && string.Equals(g.PersonObjectId, who.ObjectId, StringComparison.Ordinal))
            .MaxBy(g => g.EndsAt);
        if (grant is not null)
        {
            return Decision.Allow($"elevation until {grant.EndsAt:yyyy-MM-dd HH:mm} UTC");
        }

        return Decision.Refuse(right switch
        {
            AppRight.ManageCredentials => $"You are not an Entra owner of {app.DisplayName} or a technical owner with the ManageCredentials right, and you hold no active elevation for it. Request elevation to rotate its credentials.",
            AppRight.ManageOwners => $"Only Entra owners of {app.DisplayName}, admins, or someone with an active elevation to manage its owners can change its owners directly. Your change can go to its owners for approval instead.",
            _ => $"Only owners of {app.DisplayName} and admins can see its audit trail.",
        });
    }

    /// <summary>
    /// Who may decide on a request about an App: its active owners of any kind and admins, never the requester.
    /// </summary>
    public static Decision DecideApprover(Principal who, App app, string requesterObjectId)
    {
        ArgumentNullException.ThrowIfNull(who);
        ArgumentNullException.ThrowIfNull(app);
        if (string.IsNullOrEmpty(who.ObjectId))
        {
            return Decision.Refuse("Teams did not say who you are.");
        }

        if (string.Equals(who.ObjectId, requesterObjectId, StringComparison.Ordinal))
        {
            return Decision.Refuse("You cannot approve or deny your own request; another owner or an admin must.");
        }

        if (who.IsAdmin)
        {
            return Decision.Allow("CredentialBot admin");
        }

        return app.Owners.Any(o => !o.IsInactive && string.Equals(o.ObjectId, who.ObjectId, StringComparison.Ordinal))
            ? Decision.Allow("owner")
            : Decision.Refuse($"Only the owners of {app.DisplayName} and admins can decide on this request.");
    }

    /// <summary>The people who may approve a request about <paramref name="app"/> by <paramref name="requesterObjectId"/>, admins aside.</summary>
    public static IReadOnlyList<Owner> OwnerApprovers(App app, string requesterObjectId)
    {
        ArgumentNullException.ThrowIfNull(app);
        return [.. app.Owners
            .Where(o => !o.IsInactive && !string.Equals(o.ObjectId, requesterObjectId, StringComparison.Ordinal))
            .GroupBy(o => o.ObjectId, StringComparer.Ordinal)
            .Select(g => g.OrderBy(o => o.Kind).First())];
    }
}
