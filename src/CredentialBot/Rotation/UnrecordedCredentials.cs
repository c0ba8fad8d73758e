using CredentialBot.Domain;
using CredentialBot.Shared.Audit;

namespace CredentialBot.Rotation;

/// <summary>
/// Records a rotation after Entra took its new credential: the event, the receipt and the old credential's removal in
/// one audited change. When that change cannot commit, the new credential is removed from Entra again, so none exists
/// that the audit trail does not know, and the attempt is recorded as failed on its own. Runs to the end even when the
/// person's request was cancelled: an unrecorded credential is worse than a late answer.
/// </summary>
public sealed partial class UnrecordedCredentials(AuditTrail audit, ILogger<UnrecordedCredentials> logger)
{
    /// <summary>
    /// Runs <paramref name="recordAsync"/> (the rotation's store writes and its event) in the scope's audited change and
    /// commits it: null then. When that fails, takes the new <paramref name="kind"/> (e.g. "secret")
    /// <paramref name="keyId"/> of <paramref name="app"/> back through <paramref name="removeAsync"/>, which says whether
    /// it is gone, and returns what to tell the person; a cancelled request is thrown on after that.
    /// </summary>
    public async Task<string?> RecordOrTakeBackAsync(App app, Principal who, AuditOperation operation, string kind, string keyId, Func<Task> recordAsync, Func<Task<bool>> removeAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(recordAsync);
        ArgumentNullException.ThrowIfNull(removeAsync);
        try
        {
            await audit.BeginChangeAsync(cancellationToken);
            await recordAsync();
            await audit.CommitChangeAsync(cancellationToken);
            return null;
        }
#pragma warning disable CA1031 // Whatever failed (the store, or the person's request cancelled), the credential is in Entra with no record: it must go.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await audit.AbandonChangeAsync();
            var failure = await TakeBackAsync(app, who, operation, kind, keyId, removeAsync, ex);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            return failure;
        }
    }

    private async Task<string> TakeBackAsync(App app, Principal who, AuditOperation operation, string kind, string keyId, Func<Task<bool>> removeAsync, Exception failure)
    {
        LogNotRecorded(logger, kind, keyId, app.ObjectId, failure);
        bool removed;
        try
        {
            removed = await removeAsync();
        }
#pragma warning disable CA1031 // Any failure leaves the credential in Entra: said to the person, logged and recorded below.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogNotRemoved(logger, kind, keyId, app.ObjectId, ex);
            removed = false;
        }

        if (!removed)
        {
            LogLeftInEntra(logger, kind, keyId, app.ObjectId);
        }

        var reason = removed
            ? $"New {kind} {keyId} removed again: the change could not be recorded"
            : $"New {kind} {keyId} created but the change could not be recorded, and removing the {kind} failed: remove it in Entra";
        try
        {
            await audit.RecordAsync(who, app.ObjectId, operation, AuditOutcome.Failed, reason, CancellationToken.None);
        }
#pragma warning disable CA1031 // The store refusing this event too is what the log line below is for.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailureNotRecorded(logger, app.ObjectId, reason, ex);
        }

        return removed
            ? $"The bot could not record the new {kind}, so it removed it from Entra again. Nothing was changed: try again in a moment."
            : $"The bot could not record the new {kind}, and removing it again failed. Ask an admin to remove the {kind} with key id {keyId} from {app.DisplayName} in Entra.";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the new {Kind} {KeyId} of {App}; removing it from Entra again")]
    private static partial void LogNotRecorded(ILogger logger, string kind, string keyId, string app, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Removing the new {Kind} {KeyId} of {App} failed")]
    private static partial void LogNotRemoved(ILogger logger, string kind, string keyId, string app, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The new {Kind} {KeyId} of {App} is in Entra without a record, and removing it failed: remove it in Entra")]
    private static partial void LogLeftInEntra(ILogger logger, string kind, string keyId, string app);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Could not record the failed rotation of {App}: {Reason}")]
    private static partial void LogFailureNotRecorded(ILogger logger, string app, string reason, Exception exception);
}
