using CredentialBot.Rotation.Certificates;
using CredentialBot.Rotation.Receipts;
using CredentialBot.Shared.Apps;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Jobs;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Rotation;

/// <summary>
/// The janitor's part of rotation: secrets and certificates whose grace period is over are removed
/// (<see cref="OldCredentialRemover"/>), each claimed once, audited as the bot, and the App's snapshot updated without
/// the removed key. A round goes through every removal due, a page at a time, so the janitor keeps up with any rotation
/// rate instead of a fixed number per round; a removal Entra refuses stays scheduled for the next round and does not
/// hold up the others.
/// Evidence first: before removing, the App's usage reports are read; a credential used within
/// <see cref="ReceiptOptions.RecentUse"/> is not removed but held for its owners (<see cref="StillUsedQuestions"/>), and
/// when the reports do not answer now the removal waits a round, for at most <see cref="ReceiptOptions.ReportsWaitAtMost"/>
/// past its due time. A tenant that cannot have the reports (licence, permission) is told once and removals go ahead as
/// before.
/// </summary>
public sealed class OldSecretRemovals(
    SecretRemovalStore removals,
    OldCredentialRemover remover,
    AppRefresher refresher,
    AppCatalog catalog,
    UsageReports usage,
    StillUsedQuestions questions,
    IOptions<ReceiptOptions> options,
    AuditTrail audit) : IJanitorChore
{
    private const int PageSize = 100;

    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var after = 0L;
        IReadOnlyList<SecretRemoval> page;
        do
        {
            page = await removals.DueAsync(now, PageSize, after, cancellationToken);
            foreach (var removal in page)
            {
                await RemoveAsync(removal, now, cancellationToken);
            }

            after = page.Count > 0 ? page[^1].Id : after;
        }
        while (page.Count == PageSize);
    }

    private async Task RemoveAsync(SecretRemoval removal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var withoutUsageCheck = false;
        if (await catalog.GetAsync(removal.AppObjectId, cancellationToken) is { } app && app.Credentials.Any(c => c.KeyId == removal.KeyId))
        {
            var reading = await usage.ReadAsync(app, cancellationToken);
            if (reading.TryLater && now - removal.DueAt < options.Value.ReportsWaitAtMost)
            {
                return;
            }

            withoutUsageCheck = reading.TryLater;

            if (reading.Usage?.LastUseOf(removal.KeyId) is { } lastUsed && now - lastUsed < options.Value.RecentUse)
            {
                await questions.AskAsync(removal, app, lastUsed, now, cancellationToken);
                return;
            }
        }

        if (await remover.RemoveAsync(removal, cancellationToken) is not { } removed)
        {
            return;
        }

        if (await removals.FinishAsync(removal.Id, removed ? SecretRemovalStatus.Removed : SecretRemovalStatus.AlreadyGone, now, cancellationToken))
        {
            var what = $"{removal.CredentialName ?? removal.KeyId} ({removal.KeyId}), rotated by {removal.RequestedByName ?? removal.RequestedByObjectId}"
                + (withoutUsageCheck ? $"; removed without a usage check: the usage reports did not answer for {Domain.ElevationRules.Describe(options.Value.ReportsWaitAtMost)} after it was due" : string.Empty);
            await audit.RecordAsync(AuditTrail.Bot, removal.AppObjectId, AuditOperation.RemoveOldSecret, removed ? AuditOutcome.Succeeded : AuditOutcome.AlreadyGone, what, cancellationToken);

            // Removed or already gone, the key is not the App's any more: the snapshot drops it without reading the App again.
            await refresher.StoreChangeAsync(removal.AppObjectId, app => app with { Credentials = [.. app.Credentials.Where(c => c.KeyId != removal.KeyId)] }, cancellationToken);
        }
    }
}
