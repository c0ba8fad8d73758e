namespace CredentialBot.Domain;

/// <summary>
/// A person's request for a new app registration: its name, purpose, type, the people to own it, the policy it
/// follows and an optional ticket. Its state machine: Pending → Approved (being created) → Created | Failed, or
/// Pending → Denied (with a reason) | Expired. <see cref="Decide"/> checks who decides; the store makes each step once.
/// </summary>
public sealed record AppRegistrationRequest(
    long Id,
    string DisplayName,
    string Purpose,
    AppRegistrationType Type,
    IReadOnlyList<RequestedPerson> TechnicalOwners,
    RequestedPerson BusinessOwner,
    string PolicyName,
    string? Ticket,
    string RequesterObjectId,
    string? RequesterName,
    AppRegistrationRequestStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset DecideBy,
    string? DecidedByObjectId = null,
    string? DecidedByName = null,
    DateTimeOffset? DecidedAt = null,
    string? Reason = null,
    string? CreatedAppObjectId = null,
    string? Outcome = null)
{
    /// <summary>How long admins have to decide before a request lapses (as for access requests).</summary>
    public static readonly TimeSpan DecisionWindow = AccessRequest.DecisionWindow;

    public const int MaxReasonLength = 500;

    /// <summary>The status as of <paramref name="now"/>: a pending request past its window has expired.</summary>
    public AppRegistrationRequestStatus StatusAt(DateTimeOffset now) =>
        Status == AppRegistrationRequestStatus.Pending && now >= DecideBy ? AppRegistrationRequestStatus.Expired : Status;

    /// <summary>
    /// The App as it will be once created, for deciding whose admin scope it falls in: an app registration with the
    /// requested name and no tags yet, so scopes select it by kind or name pattern (an <c>app:</c> or <c>tag:</c>
    /// selector cannot name an App that does not exist).
    /// </summary>
    public App Prospect() => new($"requested-app-{Id}", string.Empty, DisplayName, AppKind.Application, [], []);

    /// <summary>
    /// The request after <paramref name="approver"/> approves or denies it, or a refusal: no longer pending (a stale,
    /// replayed or concurrent click), a person who may not decide (<see cref="AppRegistrationApprovers"/>), or a denial
    /// without a reason.
    /// </summary>
    public (AppRegistrationRequest? Decided, Decision Decision) Decide(Principal approver, IReadOnlyList<AdminScope> approverScopes, bool approve, string? reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(approver);
        switch (StatusAt(now))
        {
            case AppRegistrationRequestStatus.Expired:
                return (null, Decision.Refuse("This request expired before anyone decided; the requester can ask again."));
            case not AppRegistrationRequestStatus.Pending:
                return (null, Decision.Refuse($"This request was already {StatusWord(Status)} by {DecidedByName ?? "someone else"}."));
        }

        var allowed = AppRegistrationApprovers.MayDecide(approver, this, approverScopes);
        if (!allowed.Allowed)
        {
            return (null, allowed);
        }

        var why = reason?.Trim();
        if (!approve && string.IsNullOrEmpty(why))
        {
            return (null, Decision.Refuse("Say why you deny it: the requester is told your reason."));
        }

        if (why is { Length: > MaxReasonLength } || why?.Any(c => char.IsControl(c) && c is not ('\n' or '\r')) == true)
        {
            return (null, Decision.Refuse($"The reason must be at most {MaxReasonLength} characters of text."));
        }

        var decided = this with
        {
            Status = approve ? AppRegistrationRequestStatus.Approved : AppRegistrationRequestStatus.Denied,
            DecidedByObjectId = approver.ObjectId,
            DecidedByName = approver.DisplayName,
            DecidedAt = now,
            Reason = string.IsNullOrEmpty(why) ? null : why,
        };
        return (decided, Decision.Allow(allowed.Explanation));
    }

    /// <summary>"approved", "denied", "created"… for sentences.</summary>
    public static string StatusWord(AppRegistrationRequestStatus status) => status switch
    {
        AppRegistrationRequestStatus.Created => "approved and created",
        AppRegistrationRequestStatus.Failed => "approved (creation failed)",
        _ => status.ToString().ToLowerInvariant(),
    };
}
