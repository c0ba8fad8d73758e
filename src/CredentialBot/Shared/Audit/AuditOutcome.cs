namespace CredentialBot.Shared.Audit;

/// <summary>How an audited action ended; written to the trail by name.</summary>
public enum AuditOutcome
{
    /// <summary>Done as asked.</summary>
    Succeeded,

    /// <summary>Not allowed, or not valid: nothing was changed.</summary>
    Refused,

    /// <summary>Allowed, but the tenant (or a vault) refused it.</summary>
    Failed,

    /// <summary>A request was sent to its approvers.</summary>
    Submitted,

    /// <summary>A request was stored but no approver could be reached.</summary>
    Undeliverable,

    /// <summary>A request was approved.</summary>
    Approved,

    /// <summary>A request was denied.</summary>
    Denied,

    /// <summary>An elevation was granted without approval (the policy needs none).</summary>
    Granted,

    /// <summary>The thing to remove was already gone.</summary>
    AlreadyGone,

    /// <summary>Nobody decided a request in time.</summary>
    Expired,

    /// <summary>A download link was made.</summary>
    LinkCreated,

    /// <summary>An export was downloaded.</summary>
    Downloaded,

    /// <summary>Background work was started.</summary>
    Started,

    /// <summary>A one-shot confirm was accepted before calling out (Graph, approvers); how it ended follows.</summary>
    Confirmed,
}
