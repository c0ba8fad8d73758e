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

        if (OwnershipBasis(app, who.ObjectId, [right]) is { } basis)
        {
            return Decision.Allow(basis);
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
    /// Who may decide <paramref name="request"/>: an admin, or someone who holds every right the decision would grant
    /// (<see cref="AccessRequest.RightsToDecide"/>) on the App through ownership or an assigned right (an Entra owner,
    /// a technical owner holding ManageCredentials). An elevation grant never counts: it lets its holder act, not
    /// hand rights to others, and this rule does not even look at grants. A scoped admin (<paramref name="scopes"/>, the
    /// scopes the person administers) decides like an admin on an App one of those scopes covers, and on no other. The
    /// requester never decides, admin or not. A refusal says who can.
    /// </summary>
    public static Decision DecideApprover(Principal who, App app, AccessRequest request, IReadOnlyList<AdminScope>? scopes = null)
    {
        var refusal = ApproverRefusalFor(who, app, request, scopes);
        return refusal is null
            ? Decision.Allow(who.IsAdmin ? "CredentialBot admin" : OwnershipBasis(app, who.ObjectId, request.RightsToDecide) ?? ScopeBasis(app, scopes!))
            : Decision.Refuse(refusal.Explanation);
    }

    /// <summary>Why <paramref name="who"/> may not decide <paramref name="request"/>, or null when they may.</summary>
    public static ApproverRefusal? ApproverRefusalFor(Principal who, App app, AccessRequest request, IReadOnlyList<AdminScope>? scopes = null)
    {
        ArgumentNullException.ThrowIfNull(who);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(request);
        var whoCan = WhoCanApprove(app, request);
        if (string.IsNullOrEmpty(who.ObjectId))
        {
            return new ApproverRefusal(ApproverRefusalReason.UnknownActor, whoCan, "Teams did not say who you are, so you cannot decide on this request.");
        }

        if (string.Equals(who.ObjectId, request.RequesterObjectId, StringComparison.Ordinal))
        {
            return new ApproverRefusal(ApproverRefusalReason.OwnRequest, whoCan, $"You cannot approve or deny your own request; {whoCan} must.");
        }

        if (who.IsAdmin || OwnershipBasis(app, who.ObjectId, request.RightsToDecide) is not null)
        {
            return null;
        }

        if (scopes is { Count: > 0 })
        {
            // A scoped admin is an admin inside their scopes only; outside them they are anyone else, told so.
            return AdminScope.AnyCovers(scopes, app)
                ? null
                : new ApproverRefusal(ApproverRefusalReason.OutsideScope, whoCan, $"{app.DisplayName} is outside your admin scope ({string.Join(", ", scopes.Select(s => s.Name))}); only {whoCan} can approve {request.WhatIsAsked()}.");
        }

        return new ApproverRefusal(ApproverRefusalReason.LacksTheRight, whoCan, $"Only {whoCan} can approve {request.WhatIsAsked()}.");
    }

    /// <summary>
    /// The owners who may decide <paramref name="request"/> (admins aside): those who receive the approval card 1:1 and
    /// whose copy of it refreshes with buttons. Exactly the owners <see cref="DecideApprover"/> allows.
    /// </summary>
    public static IReadOnlyList<Owner> OwnerApprovers(App app, AccessRequest request)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(request);
        var rights = request.RightsToDecide;
        return [.. app.Owners
            .Where(o => !o.IsInactive && !string.Equals(o.ObjectId, request.RequesterObjectId, StringComparison.Ordinal))
            .GroupBy(o => o.ObjectId, StringComparer.Ordinal)
            .Where(g => OwnershipBasis(app, g.Key, rights) is not null)
            .Select(g => g.OrderBy(o => o.Kind).First())];
    }

    /// <summary>"an Entra owner of Payroll API or a CredentialBot admin": the people who may decide, in words.</summary>
    public static string WhoCanApprove(App app, AccessRequest request)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(request);

        // Only Entra owners hold ManageOwners through ownership, and they hold every right; technical owners with
        // ManageCredentials hold that one right.
        return request.RightsToDecide.All(r => r == AppRight.ManageCredentials)
            ? $"an Entra owner of {app.DisplayName}, a technical owner of it with the ManageCredentials right, or a CredentialBot admin"
            : $"an Entra owner of {app.DisplayName} or a CredentialBot admin";
    }

    /// <summary>"scoped admin (Payroll)": the first of the person's scopes that covers the App.</summary>
    private static string ScopeBasis(App app, IReadOnlyList<AdminScope> scopes) => $"scoped admin ({scopes.First(s => s.Covers(app)).Name})";

    /// <summary>
    /// Why the person holds every one of <paramref name="rights"/> on the App through ownership or an assigned right,
    /// or null when they do not. Grants and admin status are deliberately not part of this.
    /// </summary>
    private static string? OwnershipBasis(App app, string objectId, IReadOnlyCollection<AppRight> rights)
    {
        var mine = app.Owners.Where(o => !o.IsInactive && string.Equals(o.ObjectId, objectId, StringComparison.Ordinal)).ToList();
        if (mine.Count == 0 || rights.Count == 0)
        {
            return null;
        }

        if (rights.All(r => r == AppRight.ViewAudit))
        {
            return "owner";
        }

        if (mine.Any(o => o.Kind == OwnerKind.Entra))
        {
            return "Entra owner";
        }

        return rights.All(r => r == AppRight.ManageCredentials) && mine.Any(o => o.Kind == OwnerKind.Technical && o.CanManageCredentials)
            ? "technical owner with ManageCredentials"
            : null;
    }
}
