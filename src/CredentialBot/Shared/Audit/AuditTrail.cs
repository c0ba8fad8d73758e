using CredentialBot.Domain;
using CredentialBot.Store.Services;

namespace CredentialBot.Shared.Audit;

/// <summary>
/// The host's only writer to the audit trail: who (the authenticated person, or the bot itself), which App, which
/// operation, how it ended and why. An action and its events are one transaction: a feature calls
/// <see cref="BeginChangeAsync"/> just before its store writes (after any Graph or Connector call), every store write of
/// the scope and every event recorded here from then on join that change, and the interaction pipeline
/// (<see cref="Pipeline.InteractionPipeline"/>) commits it when the step has answered, or rolls it back when the step
/// failed. A change with no event cannot commit: no action without its audit event.
/// </summary>
public sealed class AuditTrail(AuditLog log, TimeProvider time)
{
    private AuditedChange? _change;
    /// <summary>The bot itself, for what its own jobs do (the janitor).</summary>
    public static Principal Bot { get; } = new("CredentialBot", "CredentialBot", IsAdmin: false);

    /// <summary>Someone nobody authenticated (a forged download link): recorded as "unknown".</summary>
    public static Principal Unknown { get; } = new(string.Empty, null, IsAdmin: false);

    /// <summary>
    /// Opens this scope's audited change, once (a second call returns the same change). On SQLite it holds the write
    /// lock until the pipeline commits, so call it after slow work and send nothing through another scope meanwhile.
    /// </summary>
    public async Task<AuditedChange> BeginChangeAsync(CancellationToken cancellationToken) =>
        _change ??= await log.BeginChangeAsync(cancellationToken);

    /// <summary>
    /// Consumes a confirm-type card's one-time id inside this scope's change (opening it), so the action that follows
    /// commits with it: null when this press is the first and the caller goes ahead. Otherwise what to tell the person
    /// ("already done by X at T", or a form without its id) and the caller changes nothing; the refusal is audited.
    /// </summary>
    public async Task<string?> ConfirmOnceAsync(Principal who, string? appObjectId, AuditOperation operation, string? confirmId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(who);
        if (confirmId is not { Length: > 0 })
        {
            await RefusedAsync(who, appObjectId, operation, "A confirm without its one-time id", cancellationToken);
            return "This card is out of date (it has no confirm id): open it again. Nothing was changed.";
        }

        var change = await BeginChangeAsync(cancellationToken);
        if (await change.ConsumeConfirmationAsync(operation.Name, confirmId, who.ObjectId, who.DisplayName, cancellationToken) is not { } done)
        {
            return null;
        }

        await RefusedAsync(who, appObjectId, operation, $"Confirmed again: {done.Describe()}", cancellationToken);
        return $"This was {done.Describe()}; nothing was done again.";
    }

    /// <summary>
    /// <see cref="ConfirmOnceAsync"/> for an action that calls out (Graph, approvers) before it writes: the confirm is
    /// consumed and the attempt audited (<see cref="AuditOutcome.Confirmed"/>) and committed now, so two presses never
    /// both reach Entra and no lock is held while it answers; how the action ended is audited after.
    /// </summary>
    public async Task<string?> ConfirmBeforeCallingOutAsync(Principal who, string? appObjectId, AuditOperation operation, string? confirmId, string what, CancellationToken cancellationToken)
    {
        var refusal = await ConfirmOnceAsync(who, appObjectId, operation, confirmId, cancellationToken);
        if (refusal is null)
        {
            await RecordAsync(who, appObjectId, operation, AuditOutcome.Confirmed, what, cancellationToken);
        }

        await CommitChangeAsync(cancellationToken);
        return refusal;
    }

    /// <summary>Commits the open change (the pipeline, once the step answered; or a feature before it calls out again).</summary>
    public async Task CommitChangeAsync(CancellationToken cancellationToken)
    {
        if (_change is not { } change)
        {
            return;
        }

        _change = null;
        await using (change)
        {
            await change.CommitAsync(cancellationToken);
        }
    }

    /// <summary>Rolls back a change still open (the step failed): neither its writes nor its events remain.</summary>
    public async ValueTask AbandonChangeAsync()
    {
        if (_change is { } change)
        {
            _change = null;
            await change.DisposeAsync();
        }
    }

    /// <summary>Records one event; the actor is "unknown" when Teams did not say who it was.</summary>
    public Task<long> RecordAsync(Principal who, string? appObjectId, AuditOperation operation, AuditOutcome outcome, string? reason, string? ticket, CancellationToken cancellationToken) =>
        log.AppendAsync(Event(who, appObjectId, operation, outcome, reason, ticket), cancellationToken);

    /// <summary>
    /// Records one event in this scope's change (opening it), linked into the chain with the change's other staged events
    /// when it commits, not at once as RecordAsync does: for one change that audits many things together.
    /// </summary>
    public async Task StageAsync(Principal who, string? appObjectId, AuditOperation operation, AuditOutcome outcome, string? reason, CancellationToken cancellationToken) =>
        (await BeginChangeAsync(cancellationToken)).Audit(Event(who, appObjectId, operation, outcome, reason, null));

    /// <summary>Records one event without a ticket.</summary>
    public Task<long> RecordAsync(Principal who, string? appObjectId, AuditOperation operation, AuditOutcome outcome, string? reason, CancellationToken cancellationToken) =>
        RecordAsync(who, appObjectId, operation, outcome, reason, null, cancellationToken);

    /// <summary>Records a refusal: nothing was changed, and why.</summary>
    public Task<long> RefusedAsync(Principal who, string? appObjectId, AuditOperation operation, string reason, CancellationToken cancellationToken) =>
        RecordAsync(who, appObjectId, operation, AuditOutcome.Refused, reason, null, cancellationToken);

    private AuditEvent Event(Principal who, string? appObjectId, AuditOperation operation, AuditOutcome outcome, string? reason, string? ticket)
    {
        ArgumentNullException.ThrowIfNull(who);
        var actor = who.ObjectId.Length > 0 ? who.ObjectId : "unknown";
        return new AuditEvent(actor, who.DisplayName, appObjectId, operation.Name, outcome.ToString(), reason, ticket, time.GetUtcNow());
    }
}
