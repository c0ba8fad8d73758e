namespace CredentialBot.Domain;

/// <summary>
/// Who did what to which App, when, and how it ended. Append-only, and chained in the store under a key kept outside it.
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
