namespace CredentialBot.Domain;

/// <summary>
/// Who did what to which App, when, and how it ended. Append-only and hash-chained in the store.
/// Never carries a secret value: reasons and tickets are free text typed by people, not credentials.
/// </summary>
public sealed record AuditEvent(
    string ActorObjectId,
    string? ActorName,
    string? AppObjectId,
    string Operation,
    string Outcome,
    string? Reason,
    string? Ticket,
    DateTimeOffset At);
