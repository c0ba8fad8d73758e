using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Jobs;
using CredentialBot.Shared.Messaging;
using CredentialBot.Status;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Rotation.Receipts;

/// <summary>
/// The janitor's receipt round: every rotation still waiting for its new credential's first use is looked up in the
/// usage reports (at most every <see cref="ReceiptOptions.CheckInterval"/>, one read per App); the first use is recorded
/// once (a conditional update, so a second round or instance tells nobody again), audited as the bot, and the rotating
/// person sees it: the card they rotated from is redrawn with a receipt banner, or, when that card is unknown or cannot
/// be redrawn, a receipt card goes to their 1:1 chat. A credential that left the App is no longer watched.
/// </summary>
public sealed partial class RotationReceipts(
    RotationReceiptStore receipts,
    AppCatalog catalog,
    UsageReports usage,
    Messenger messenger,
    StatusCards statusCards,
    AuditTrail audit,
    ReceiptSchedule schedule,
    IOptions<ReceiptOptions> options,
    ILogger<RotationReceipts> logger) : IJanitorChore
{
    private const int PageSize = 100;

    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || !schedule.IsDue(nameof(RotationReceipts), now, options.Value.CheckInterval))
        {
            return;
        }

        var after = 0L;
        IReadOnlyList<RotationReceipt> page;
        do
        {
            page = await receipts.WaitingAsync(PageSize, after, cancellationToken);
            foreach (var receipt in page)
            {
                await LookAsync(receipt, now, cancellationToken);
            }

            after = page.Count > 0 ? page[^1].Id : after;
        }
        while (page.Count == PageSize);
        schedule.Ran(nameof(RotationReceipts), now);
    }

    private async Task LookAsync(RotationReceipt receipt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await catalog.GetAsync(receipt.AppObjectId, cancellationToken) is not { } app || app.Credentials.All(c => c.KeyId != receipt.NewKeyId))
        {
            await receipts.CloseAsync(receipt.Id, now, cancellationToken);
            return;
        }

        if ((await usage.ReadAsync(app, cancellationToken)).Usage?.LastUseOf(receipt.NewKeyId) is not { } used
            || !await receipts.MarkFirstUsedAsync(receipt.Id, used, cancellationToken))
        {
            return;
        }

        await audit.RecordAsync(AuditTrail.Bot, app.ObjectId, AuditOperation.RotationReceipt, AuditOutcome.Succeeded, $"New credential {receipt.CredentialName ?? receipt.NewKeyId} ({receipt.NewKeyId}) first used at {Shared.Cards.CardText.DateTime(used)}, rotated by {receipt.RotatedByName ?? receipt.RotatedByObjectId}", cancellationToken);
        if (receipt.RotatedByObjectId == AuditTrail.Bot.ObjectId)
        {
            // A hands-free rotation: nobody is waiting on a card; its chore schedules the old secret's removal instead.
            return;
        }

        if (Messenger.Deserialize(receipt.Card) is [var posted, ..]
            && await messenger.UpdateAsync(posted, await statusCards.ForEveryoneAsync(app, ReceiptCards.FirstUsedBanner(receipt.CredentialName, used), cancellationToken), cancellationToken))
        {
            return;
        }

        if (await messenger.SendToPersonAsync(receipt.RotatedByObjectId, ReceiptCards.FirstUsed(app, receipt.CredentialName, receipt.RotatedAt, used), $"{app.DisplayName}: the new credential is in use", cancellationToken) is null)
        {
            LogUnreachable(logger, receipt.RotatedByObjectId, app.ObjectId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The rotation receipt for {App} could not reach {Person} (no chat with the bot)")]
    private static partial void LogUnreachable(ILogger logger, string person, string app);
}
