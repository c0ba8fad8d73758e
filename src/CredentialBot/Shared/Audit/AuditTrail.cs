using CredentialBot.Domain;
using CredentialBot.Store.Services;

namespace CredentialBot.Shared.Audit;

/// <summary>
/// The host's only writer to the audit trail: who (the authenticated person, or the bot itself), which App, which
/// operation, how it ended and why. Issue 11.5 makes an action and its events one transaction; the pipeline that runs
/// every interaction (<see cref="Pipeline.InteractionPipeline"/>) and this class are where that happens.
/// </summary>
public sealed class AuditTrail(AuditLog log, TimeProvider time)
{
    /// <summary>The bot itself, for what its own jobs do (the janitor).</summary>
    public static Principal Bot { get; } = new("CredentialBot", "CredentialBot", IsAdmin: false);

    /// <summary>Records one event; the actor is "unknown" when Teams did not say who it was.</summary>
    public Task<long> RecordAsync(Principal who, string? appObjectId, AuditOperation operation, AuditOutcome outcome, string? reason, string? ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(who);
        var actor = who.ObjectId.Length > 0 ? who.ObjectId : "unknown";
        return log.AppendAsync(new AuditEvent(actor, who.DisplayName, appObjectId, operation.Name, outcome.ToString(), reason, ticket, time.GetUtcNow()), cancellationToken);
    }

    /// <summary>Records one event without a ticket.</summary>
    public Task<long> RecordAsync(Principal who, string? appObjectId, AuditOperation operation, AuditOutcome outcome, string? reason, CancellationToken cancellationToken) =>
        RecordAsync(who, appObjectId, operation, outcome, reason, null, cancellationToken);

    /// <summary>Records a refusal: nothing was changed, and why.</summary>
    public Task<long> RefusedAsync(Principal who, string? appObjectId, AuditOperation operation, string reason, CancellationToken cancellationToken) =>
        RecordAsync(who, appObjectId, operation, AuditOutcome.Refused, reason, null, cancellationToken);
}
