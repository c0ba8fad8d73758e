namespace CredentialBot.Store.Entities;

/// <summary>An App in the latest snapshot. Deleted Apps are kept (flagged) so history and audit still resolve.</summary>
public sealed class AppRecord
{
    public required string ObjectId { get; set; }

    public required string AppId { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>Lower-cased display name: case-insensitive search that works the same on SQLite and PostgreSQL.</summary>
    public required string DisplayNameLower { get; set; }

    public Domain.AppKind Kind { get; set; }

    public bool ExternallyManaged { get; set; }

    /// <summary>Tags joined by '\n' (Entra tags never contain newlines).</summary>
    public string Tags { get; set; } = string.Empty;

    /// <summary>
    /// When the directory read that wrote this row began (a scan's start, or the moment a per-app refresh asked Graph).
    /// It orders writers: a write from an older read never replaces a newer one, and a full listing marks the Apps it
    /// did not see (older than its start) as deleted.
    /// </summary>
    public DateTimeOffset LastSeenAt { get; set; }

    public bool Deleted { get; set; }

    /// <summary>
    /// A hash of what the directory said about this App (ids, name, kind, tags, credentials, Entra owners) when it was
    /// last written, so a rescan that reads the same App again only moves <see cref="LastSeenAt"/>. Null before the first
    /// write that computed one.
    /// </summary>
    public long? ContentHash { get; set; }

    public List<CredentialRecord> Credentials { get; set; } = [];

    public List<OwnerRecord> Owners { get; set; } = [];
}

/// <summary>A secret or certificate of an App: metadata only, never a secret value.</summary>
public sealed class CredentialRecord
{
    public long Id { get; set; }

    public required string AppObjectId { get; set; }

    public required string KeyId { get; set; }

    public Domain.CredentialKind Kind { get; set; }

    public string? DisplayName { get; set; }

    public DateTimeOffset? StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }
}

/// <summary>An owner of an App. Entra owners mirror Graph; technical and business owners live only here.</summary>
public sealed class OwnerRecord
{
    public long Id { get; set; }

    public required string AppObjectId { get; set; }

    public required string PersonObjectId { get; set; }

    public Domain.OwnerKind Kind { get; set; }

    public required string DisplayName { get; set; }

    public string? UserPrincipalName { get; set; }

    public bool AccountEnabled { get; set; } = true;

    public bool Deleted { get; set; }

    public bool ManageCredentials { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the bot found this owner disabled or deleted and asked the others to replace them; null while active.</summary>
    public DateTimeOffset? InactiveFoundAt { get; set; }

    /// <summary>When the admins were told nobody replaced this inactive owner in the policy's time.</summary>
    public DateTimeOffset? InactiveEscalatedAt { get; set; }
}

/// <summary>A named policy.</summary>
public sealed class PolicyRecord
{
    public long Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Stages in days, comma-separated, most distant first.</summary>
    public required string ExpiryStagesDays { get; set; }

    public int MinimumEntraOwners { get; set; }

    public int MinimumTechnicalOwners { get; set; }

    public int MinimumBusinessOwners { get; set; }

    public long MaximumSecretLifetimeTicks { get; set; }

    public long RotationGracePeriodTicks { get; set; }

    public long OwnerReplacementGracePeriodTicks { get; set; }

    /// <summary>Hands-free rotation: days before expiry the bot rotates a secret itself; null when the policy does not opt in.</summary>
    public int? AutomaticRotationDays { get; set; }

    /// <summary>Hands-free rotation: days the new secret has to be first used before the owners are told.</summary>
    public int? AutomaticRotationUseWindowDays { get; set; }

    public bool ElevationJustificationRequired { get; set; }

    public bool ElevationTicketRequired { get; set; }

    public long ElevationMaximumDurationTicks { get; set; }

    public bool ElevationApprovalRequired { get; set; }

    public string? ApprovalChannelId { get; set; }

    public List<PolicyAssignmentRecord> Assignments { get; set; } = [];
}

/// <summary>What a policy assignment targets; see <c>PolicyStore</c> for precedence.</summary>
public enum AssignmentTarget
{
    AppKindDefault,
    NamePattern,
    Tag,
    App,
}

/// <summary>Assigns a policy to Apps: by id, tag, display-name pattern, or as a kind's default.</summary>
public sealed class PolicyAssignmentRecord
{
    public long Id { get; set; }

    public long PolicyId { get; set; }

    public PolicyRecord? Policy { get; set; }

    public AssignmentTarget Target { get; set; }

    public required string Value { get; set; }
}

/// <summary>Where the bot can reach a person (personal chat) or a channel.</summary>
public sealed class ConversationReferenceRecord
{
    public required string ConversationId { get; set; }

    public required string ConversationType { get; set; }

    /// <summary>Entra object id of the person, for personal conversations.</summary>
    public string? UserObjectId { get; set; }

    /// <summary>The person's per-bot Teams id (29:…), needed to create a 1:1 conversation.</summary>
    public string? UserId { get; set; }

    public string? TenantId { get; set; }

    public required string ServiceUrl { get; set; }

    public required string ChannelId { get; set; }

    public string? BotId { get; set; }

    public string? TeamId { get; set; }

    public string? ChannelName { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>State of an outbox message.</summary>
public enum OutboxStatus
{
    Pending,
    Sending,
    Sent,
    Failed,
    Unreachable,
}

/// <summary>A notification waiting to be sent exactly once; <see cref="DedupKey"/> makes enqueueing idempotent.</summary>
public sealed class OutboxMessageRecord
{
    public long Id { get; set; }

    public required string DedupKey { get; set; }

    public required string RecipientObjectId { get; set; }

    public string? ConversationId { get; set; }

    public required string Payload { get; set; }

    public OutboxStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? ClaimedBy { get; set; }

    public DateTimeOffset? ClaimedUntil { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>
    /// When admins were told this notice's person cannot be reached; null until then. Kept so they are told once, and
    /// told again only when the person is reached.
    /// </summary>
    public DateTimeOffset? EscalatedAt { get; set; }
}

/// <summary>One link of the audit hash chain.</summary>
public sealed class AuditEventRecord
{
    /// <summary>1, 2, 3… without gaps; assigned on append, unique, so a concurrent append fails and retries.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset At { get; set; }

    public required string ActorObjectId { get; set; }

    public string? ActorName { get; set; }

    public string? AppObjectId { get; set; }

    public required string Operation { get; set; }

    public required string Outcome { get; set; }

    public string? Reason { get; set; }

    public string? Ticket { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }
}

/// <summary>A lease: one holder at a time until it expires (scanner leadership).</summary>
public sealed class LeaseRecord
{
    public required string Name { get; set; }

    /// <summary>The current holder, or the last one once released.</summary>
    public required string Holder { get; set; }

    /// <summary>Renewed while held; in the past once released.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When a holder last released it with its work done (a scan finished), so any instance knows when the next is due.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>The last Graph delta link of a collection.</summary>
public sealed class DeltaTokenRecord
{
    public required string Collection { get; set; }

    public required string DeltaLink { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// A credential whose expiry notices are paused: snoozed for some days, or acknowledged until it expires. The
/// expired stage and any later rescan after <see cref="Until"/> notify again.
/// </summary>
public sealed class CredentialSnoozeRecord
{
    public required string AppObjectId { get; set; }

    public required string CredentialKeyId { get; set; }

    public DateTimeOffset Until { get; set; }

    public required string ByObjectId { get; set; }

    public string? ByName { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>An elevation or owner-change request and its one decision; see Domain's <c>AccessRequest</c>.</summary>
public sealed class AccessRequestRecord
{
    public long Id { get; set; }

    public Domain.AccessRequestKind Kind { get; set; }

    public required string AppObjectId { get; set; }

    public required string RequesterObjectId { get; set; }

    public string? RequesterName { get; set; }

    public Domain.AppRight? Right { get; set; }

    public long? DurationTicks { get; set; }

    public string? Justification { get; set; }

    public string? Ticket { get; set; }

    public string? PersonObjectId { get; set; }

    public string? PersonName { get; set; }

    public string? PersonUpn { get; set; }

    public Domain.OwnerKind? OwnerKind { get; set; }

    public bool ManageCredentials { get; set; }

    public string? ReplacesObjectId { get; set; }

    public Domain.AccessRequestStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset DecideBy { get; set; }

    public string? DecidedByObjectId { get; set; }

    public string? DecidedByName { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Where approvers were shown the request, so the card can be redrawn for everyone after a decision.</summary>
    public string? ApprovalCards { get; set; }
}

/// <summary>A time-bound right from an approved elevation.</summary>
public sealed class GrantRecord
{
    public long Id { get; set; }

    public long RequestId { get; set; }

    public required string AppObjectId { get; set; }

    public required string PersonObjectId { get; set; }

    public Domain.AppRight Right { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    public bool Revoked { get; set; }

    /// <summary>The PIM schedule request, when PIM mode created one.</summary>
    public string? PimRequestId { get; set; }

    /// <summary>Set once the end was announced and audited, so that happens once.</summary>
    public DateTimeOffset? EndHandledAt { get; set; }
}

/// <summary>What happens to an old secret after a rotation.</summary>
public enum SecretRemovalStatus
{
    Scheduled,
    Removed,
    Cancelled,
    AlreadyGone,
}

/// <summary>An old secret the janitor removes at <see cref="DueAt"/> unless an owner cancels.</summary>
public sealed class SecretRemovalRecord
{
    public long Id { get; set; }

    public required string AppObjectId { get; set; }

    public Domain.AppKind AppKind { get; set; }

    public required string KeyId { get; set; }

    public string? CredentialName { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public required string RequestedByObjectId { get; set; }

    public string? RequestedByName { get; set; }

    public SecretRemovalStatus Status { get; set; }

    /// <summary>When the rotation that replaced this credential happened; null for removals scheduled before it was kept.</summary>
    public DateTimeOffset? RotatedAt { get; set; }

    public DateTimeOffset? DoneAt { get; set; }

    /// <summary>
    /// When owners were asked whether to remove it because the usage reports said it was still used; while set, the
    /// janitor leaves the removal to them ("remove anyway" or "keep longer").
    /// </summary>
    public DateTimeOffset? AskedAt { get; set; }

    /// <summary>The last use the usage reports knew of when owners were asked.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}
