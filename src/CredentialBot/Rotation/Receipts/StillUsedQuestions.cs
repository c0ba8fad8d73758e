using CredentialBot.Domain;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Messaging;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Rotation.Receipts;

/// <summary>
/// The janitor's question when an old credential due for removal was still used recently: the removal is held (once,
/// by a conditional update, so a second round or instance asks nobody again), the hold is audited as the bot, and the
/// people who may remove it (the rotating person, Entra owners, technical owners holding ManageCredentials, all
/// active) each get "remove anyway / keep N more days".
/// </summary>
public sealed partial class StillUsedQuestions(SecretRemovalStore removals, AuditTrail audit, Messenger messenger, IOptions<ReceiptOptions> options, ILogger<StillUsedQuestions> logger)
{
    public async Task AskAsync(SecretRemoval removal, App app, DateTimeOffset lastUsedAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(removal);
        ArgumentNullException.ThrowIfNull(app);
        if (!await removals.AskAsync(removal.Id, lastUsedAt, now, cancellationToken))
        {
            return;
        }

        var what = $"{removal.CredentialName ?? removal.KeyId} ({removal.KeyId}) was still used at {CardText.DateTime(lastUsedAt)}; its removal waits for an owner";
        await audit.RecordAsync(AuditTrail.Bot, app.ObjectId, AuditOperation.HoldOldCredentialRemoval, AuditOutcome.Succeeded, what, cancellationToken);
        var card = ReceiptCards.StillUsed(app, removal, lastUsedAt, now, options.Value.KeepLongerDays, CardParts.NewConfirmId());
        var told = 0;
        foreach (var person in WhoMayRemove(app, removal.RequestedByObjectId))
        {
            if (await messenger.SendToPersonAsync(person, card, $"{app.DisplayName}: an old credential is still in use", cancellationToken) is not null)
            {
                told++;
            }
        }

        LogAsked(logger, app.ObjectId, removal.KeyId, told);
    }

    /// <summary>The rotating person first, then every active owner who may manage the App's credentials, each once.</summary>
    private static IEnumerable<string> WhoMayRemove(App app, string rotatedBy) =>
        new[] { rotatedBy }
            .Concat(app.Owners.Where(o => !o.IsInactive && (o.Kind == OwnerKind.Entra || (o.Kind == OwnerKind.Technical && o.CanManageCredentials))).Select(o => o.ObjectId))
            .Where(id => id.Length > 0)
            .Distinct(StringComparer.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Held the removal of {KeyId} of {App}: still used; {Told} owners asked")]
    private static partial void LogAsked(ILogger logger, string app, string keyId, int told);
}
