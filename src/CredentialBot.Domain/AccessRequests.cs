namespace CredentialBot.Domain;

/// <summary>What a person asks for that someone else must approve.</summary>
public enum AccessRequestKind
{
    /// <summary>Just-in-time, time-bound right on one App.</summary>
    Elevation,

    /// <summary>Add a person as an owner of a kind.</summary>
    AddOwner,

    /// <summary>Replace the requester, as an owner of a kind, with another person.</summary>
    TransferOwnership,
}

/// <summary>Where a request is in its life. Only <see cref="Pending"/> can change, and only once.</summary>
public enum AccessRequestStatus
{
    Pending,
    Approved,
    Denied,
    Expired,
}

/// <summary>An owner to add (and, for a transfer, the owner it replaces).</summary>
public sealed record OwnerChange(string PersonObjectId, string PersonName, string? PersonUpn, OwnerKind Kind, bool ManageCredentials, string? ReplacesObjectId = null);

/// <summary>
/// A request waiting for an owner's or an admin's decision: an elevation (right + duration) or an owner change.
/// Its state machine is <see cref="Decide"/>: Pending → Approved | Denied, or Expired when nobody decided in time.
/// </summary>
public sealed record AccessRequest(
    long Id,
    AccessRequestKind Kind,
    string AppObjectId,
    string RequesterObjectId,
    string? RequesterName,
    AppRight? Right,
    TimeSpan? Duration,
    string? Justification,
    string? Ticket,
    OwnerChange? Change,
    AccessRequestStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset DecideBy,
    string? DecidedByObjectId = null,
    string? DecidedByName = null,
    DateTimeOffset? DecidedAt = null)
{
    /// <summary>How long approvers have to decide before a request lapses.</summary>
    public static readonly TimeSpan DecisionWindow = TimeSpan.FromDays(3);

    /// <summary>
    /// The rights an approver must hold on the App to decide this request: what approving it grants. An elevation
    /// grants its right. Any owner change is managing owners; adding (or transferring to) an Entra owner also hands
    /// over native control of credentials, and a technical owner with ManageCredentials that right.
    /// </summary>
    public IReadOnlyList<AppRight> RightsToDecide => Kind switch
    {
        AccessRequestKind.Elevation => Right is { } right ? [right] : [AppRight.ManageCredentials, AppRight.ManageOwners],
        _ when Change is { Kind: OwnerKind.Entra } or { Kind: OwnerKind.Technical, ManageCredentials: true } => [AppRight.ManageOwners, AppRight.ManageCredentials],
        _ => [AppRight.ManageOwners],
    };

    /// <summary>What is asked, for sentences such as "Only … can approve adding an Entra owner".</summary>
    public string WhatIsAsked()
    {
        // "an Entra owner", "a technical owner with the ManageCredentials right", "a business owner".
        var kind = Change is null ? string.Empty : OwnershipRules.KindName(Change.Kind) + " ";
        var right = Change is { Kind: OwnerKind.Technical, ManageCredentials: true } ? " with the ManageCredentials right" : string.Empty;
        var article = Change is null or { Kind: OwnerKind.Entra } ? "an" : "a";
        return Kind switch
        {
            AccessRequestKind.Elevation when Right == AppRight.ManageOwners => "an elevation to manage owners",
            AccessRequestKind.Elevation => "an elevation to rotate credentials",
            AccessRequestKind.TransferOwnership when Change?.ReplacesObjectId is { } replaced && replaced != RequesterObjectId => $"replacing a disabled or deleted {kind}owner{right}",
            AccessRequestKind.TransferOwnership => $"transferring {kind}ownership{right}",
            _ => $"adding {article} {kind}owner{right}",
        };
    }

    /// <summary>The status as of <paramref name="now"/>: a pending request past its window has expired.</summary>
    public AccessRequestStatus StatusAt(DateTimeOffset now) =>
        Status == AccessRequestStatus.Pending && now >= DecideBy ? AccessRequestStatus.Expired : Status;

    /// <summary>
    /// The request after <paramref name="approver"/> approves or denies it, or a refusal when it is no longer
    /// pending (a stale or replayed click) or the person may not decide (<paramref name="scopes"/>: the admin scopes the
    /// approver administers, see <see cref="Authorizer.DecideApprover"/>).
    /// </summary>
    public (AccessRequest? Decided, Decision Decision) Decide(Principal approver, App app, bool approve, DateTimeOffset now, IReadOnlyList<AdminScope>? scopes = null)
    {
        ArgumentNullException.ThrowIfNull(approver);
        ArgumentNullException.ThrowIfNull(app);
        if (!string.Equals(app.ObjectId, AppObjectId, StringComparison.Ordinal))
        {
            return (null, Decision.Refuse("That decision names a different app than the request."));
        }

        switch (StatusAt(now))
        {
            case AccessRequestStatus.Expired:
                return (null, Decision.Refuse("This request expired before anyone decided; the requester can ask again."));
            case AccessRequestStatus.Approved or AccessRequestStatus.Denied:
                return (null, Decision.Refuse($"This request was already {Status.ToString().ToLowerInvariant()} by {DecidedByName ?? "someone else"}."));
        }

        var allowed = Authorizer.DecideApprover(approver, app, this, scopes);
        if (!allowed.Allowed)
        {
            return (null, allowed);
        }

        var decided = this with
        {
            Status = approve ? AccessRequestStatus.Approved : AccessRequestStatus.Denied,
            DecidedByObjectId = approver.ObjectId,
            DecidedByName = approver.DisplayName,
            DecidedAt = now,
        };
        return (decided, Decision.Allow(allowed.Explanation));
    }
}

/// <summary>The rules an elevation request must meet under its App's policy.</summary>
public static class ElevationRules
{
    /// <summary>Durations offered in the dialog; only those within the policy's maximum are shown.</summary>
    public static readonly IReadOnlyList<TimeSpan> DurationChoices =
        [TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(8), TimeSpan.FromDays(1), TimeSpan.FromDays(3), TimeSpan.FromDays(7)];

    public static readonly TimeSpan DefaultDuration = TimeSpan.FromHours(2);

    public const int MaxJustificationLength = 1000;
    public const int MaxTicketLength = 64;

    public static IReadOnlyList<TimeSpan> DurationsUnder(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return [.. DurationChoices.Where(d => d <= policy.Elevation.MaximumDuration)];
    }

    /// <summary>Each problem as a sentence; empty when the request can be sent for approval.</summary>
    public static IReadOnlyList<string> Problems(Policy policy, AppRight right, TimeSpan duration, string? justification, string? ticket)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var problems = new List<string>();
        if (right is not (AppRight.ManageCredentials or AppRight.ManageOwners))
        {
            problems.Add("Choose what to elevate for: managing credentials or managing owners.");
        }

        if (duration <= TimeSpan.Zero)
        {
            problems.Add("Choose how long the elevation should last.");
        }
        else if (duration > policy.Elevation.MaximumDuration)
        {
            problems.Add($"{Describe(duration)} is longer than policy {policy.Name} allows ({Describe(policy.Elevation.MaximumDuration)} at most).");
        }

        if (policy.Elevation.JustificationRequired && string.IsNullOrWhiteSpace(justification))
        {
            problems.Add($"Policy {policy.Name} requires a justification.");
        }
        else if (justification?.Length > MaxJustificationLength)
        {
            problems.Add($"The justification is {justification.Length} characters; at most {MaxJustificationLength}.");
        }

        if (policy.Elevation.TicketRequired && string.IsNullOrWhiteSpace(ticket))
        {
            problems.Add($"Policy {policy.Name} requires a ticket number.");
        }
        else if (ticket?.Length > MaxTicketLength)
        {
            problems.Add($"The ticket number is {ticket.Length} characters; at most {MaxTicketLength}.");
        }

        return problems;
    }

    /// <summary>"30 minutes", "2 hours", "3 days".</summary>
    public static string Describe(TimeSpan duration) => duration switch
    {
        { TotalDays: >= 1 } when duration.TotalDays % 1 == 0 => duration.TotalDays == 1 ? "1 day" : $"{duration.TotalDays:0} days",
        { TotalHours: >= 1 } when duration.TotalHours % 1 == 0 => duration.TotalHours == 1 ? "1 hour" : $"{duration.TotalHours:0} hours",
        _ => $"{duration.TotalMinutes:0} minutes",
    };
}

/// <summary>The rules for adding, transferring and removing owners.</summary>
public static class OwnershipRules
{
    /// <summary>Refuses a person the directory does not know, or whose account is disabled.</summary>
    public static Decision CheckCandidate(Person? person, string asked)
    {
        if (person is null)
        {
            return Decision.Refuse($"Nobody in the directory matches '{asked}'. Use their user principal name or email address.");
        }

        return person.AccountEnabled
            ? Decision.Allow(person.DisplayName)
            : Decision.Refuse($"{person.DisplayName}'s account is disabled, so they cannot be an owner.");
    }

    /// <summary>Refuses adding someone who already is an owner of that kind.</summary>
    public static Decision CheckAddition(App app, Person person, OwnerKind kind, bool manageCredentials)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(person);
        var existing = app.OwnersOf(kind).FirstOrDefault(o => string.Equals(o.ObjectId, person.ObjectId, StringComparison.Ordinal));
        if (existing is not null && (kind != OwnerKind.Technical || existing.CanManageCredentials == manageCredentials))
        {
            return Decision.Refuse($"{person.DisplayName} already is a {KindName(kind)} owner of {app.DisplayName}.");
        }

        return Decision.Allow("new owner");
    }

    /// <summary>
    /// Refuses removing an owner when that would leave fewer active owners of the kind than the policy requires.
    /// </summary>
    public static Decision CheckRemoval(App app, Policy policy, string personObjectId, OwnerKind kind)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(policy);
        var owners = app.OwnersOf(kind).ToList();
        var leaving = owners.FirstOrDefault(o => string.Equals(o.ObjectId, personObjectId, StringComparison.Ordinal));
        if (leaving is null)
        {
            return Decision.Refuse($"That person is not a {KindName(kind)} owner of {app.DisplayName}.");
        }

        var remaining = owners.Count(o => !o.IsInactive && !ReferenceEquals(o, leaving));
        var minimum = policy.MinimumOwners(kind);
        return remaining < minimum
            ? Decision.Refuse($"{leaving.DisplayName} cannot be removed: policy {policy.Name} requires at least {minimum} active {KindName(kind)} owner{(minimum == 1 ? string.Empty : "s")} and {remaining} would be left. Add another {KindName(kind)} owner first, or transfer instead.")
            : Decision.Allow($"{remaining} {KindName(kind)} owner(s) remain");
    }

    public static string KindName(OwnerKind kind) => kind switch
    {
        OwnerKind.Entra => "Entra",
        OwnerKind.Technical => "technical",
        _ => "business",
    };
}
