using System.Globalization;
using CredentialBot.Digests;
using CredentialBot.Domain;
using CredentialBot.Rotation.KeyVault;
using CredentialBot.Rotation.Receipts;
using CredentialBot.Shared.Apps;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Jobs;
using CredentialBot.Shared.Messaging;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.Rotation.Automatic;

/// <summary>
/// The janitor's hands-free rotation, for Apps whose policy opts in (<see cref="Policy.AutomaticRotation"/>). Each round:
/// <list type="number">
/// <item>finds the secrets now due and starts one rotation for each (a row per App and old secret: two instances or two
/// rounds start it once);</item>
/// <item>reopens rotations refused for want of a vault whose App has an allowed one now;</item>
/// <item>carries out each unfinished rotation it can claim: checks the App's vault (refused, audited and told once
/// without one), removes any secret an interrupted attempt left (its value was never delivered), records that it is
/// adding, calls addPassword, records the new key id, writes the value to the vault, and only then records the rotation
/// delivered — with the rotation receipt it waits for and the audit event in one transaction — and tells the owners;</item>
/// <item>for delivered rotations, schedules the old secret's removal once the receipt says the new one was used, or
/// tells the owners once when it was not used within the policy's window.</item>
/// </list>
/// Every event is audited with the bot as the actor and "Policy &lt;name&gt;" opening the reason. The value lives only in
/// memory between addPassword and the vault write: a failure in between removes the new secret again, and a crash
/// leaves a row the next round recognises (state <see cref="AutomaticRotationState.Adding"/>/<see cref="AutomaticRotationState.Added"/>
/// and the secret's marker name) and undoes before trying again.
/// </summary>
public sealed partial class AutomaticRotations(
    AutomaticRotationStore rotations,
    AppCatalog catalog,
    PolicyStore policies,
    ITenantAdministration administration,
    KeyVaultDelivery keyVault,
    SecretRemovalStore removals,
    RotationReceiptStore receipts,
    AppRefresher refresher,
    UsageReports usage,
    Messenger messenger,
    AuditTrail audit,
    IOptions<AutomaticRotationOptions> options,
    IOptions<NotificationOptions> notifications,
    ILogger<AutomaticRotations> logger) : IJanitorChore
{
    private const int PageSize = 500;
    private const int WorkPerRound = 50;

    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var optedIn = (await policies.ListAsync(cancellationToken)).Where(p => p.AutomaticRotation is not null).ToList();
        if (optedIn.Count > 0)
        {
            await StartDueAsync(optedIn.Max(p => p.AutomaticRotation!.DaysBeforeExpiry), now, cancellationToken);
        }

        foreach (var refused in await rotations.RefusedAsync(WorkPerRound, cancellationToken))
        {
            await ReopenIfVaultAsync(refused, cancellationToken);
        }

        foreach (var rotation in await rotations.UnfinishedAsync(now, WorkPerRound, cancellationToken))
        {
            if (await rotations.ClaimAsync(rotation.Id, now, now + options.Value.ClaimDuration, cancellationToken))
            {
                await RotateAsync(rotation, now, cancellationToken);
            }
        }

        foreach (var delivered in await rotations.DeliveredAsync(PageSize, cancellationToken))
        {
            await FollowUpAsync(delivered, now, cancellationToken);
        }
    }

    /// <summary>Walks the Apps with a secret ending within the furthest option, starting a rotation for each secret due.</summary>
    private async Task StartDueAsync(int furthestDays, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policyOf = await policies.GetResolverAsync(cancellationToken);
        string? after = null;
        while (true)
        {
            var page = await catalog.ListPageAsync(after, PageSize, expiringBefore: now.AddDays(furthestDays + 1), cancellationToken: cancellationToken);
            if (page.Count == 0)
            {
                return;
            }

            after = page[^1].ObjectId;
            var candidates = page.Select(a => (App: a, Policy: policyOf(a))).Where(x => x.Policy.AutomaticRotation is not null).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            var handled = await rotations.HandledAsync([.. candidates.Select(c => c.App.ObjectId)], cancellationToken);
            foreach (var (app, policy) in candidates)
            {
                var done = handled.GetValueOrDefault(app.ObjectId) ?? new HashSet<string>(StringComparer.Ordinal);
                if (AutomaticRotationRules.DueFor(app, policy, now, done) is { } due
                    && await rotations.StartAsync(app.ObjectId, app.Kind, due, policy.Name, Marker(now), now, cancellationToken))
                {
                    LogStarted(logger, app.ObjectId, due.KeyId, policy.Name);
                }
            }
        }
    }

    /// <summary>A display name unique to one rotation, so what an interrupted attempt created can be found on the App.</summary>
    private static string Marker(DateTimeOffset now) =>
        $"CredentialBot automatic {now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} {Guid.NewGuid().ToString("N")[..12]}";

    private async Task ReopenIfVaultAsync(AutomaticRotationEntry refused, CancellationToken cancellationToken)
    {
        if (await catalog.GetAsync(refused.AppObjectId, cancellationToken) is { } app
            && keyVault.VaultFor(app).Vault is { } vault
            && await rotations.ReopenAsync(refused.Id, cancellationToken))
        {
            await audit.RecordAsync(AuditTrail.Bot, app.ObjectId, AuditOperation.AutoRotationRefused, AuditOutcome.Succeeded, $"Policy {refused.PolicyName}: {app.DisplayName} now has Key Vault {vault.Host}; the rotation of {Name(refused)} goes ahead", cancellationToken);
        }
    }

    private async Task RotateAsync(AutomaticRotationEntry rotation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policyName = rotation.PolicyName;
        if (await catalog.GetAsync(rotation.AppObjectId, cancellationToken) is not { } stored)
        {
            await AbandonAsync(rotation, null, "the app is no longer in the tenant", cancellationToken);
            return;
        }

        var policy = await policies.GetPolicyForAsync(stored, cancellationToken);
        if (policy.AutomaticRotation is null)
        {
            await AbandonAsync(rotation, stored, $"its policy ({policy.Name}) no longer rotates automatically", cancellationToken);
            return;
        }

        var (vault, vaultRefusal) = keyVault.VaultFor(stored);
        if (vault is null)
        {
            await RefuseAsync(rotation, stored, vaultRefusal ?? $"{stored.DisplayName} has no Key Vault to write the new secret to (tag it {KeyVaultDelivery.TagPrefix} followed by an allowed vault's address).", now, cancellationToken);
            return;
        }

        // The App as Entra has it now, for what a person or an interrupted attempt changed since the last scan.
        if (await refresher.RefreshAsync(rotation.AppKind, rotation.AppObjectId, cancellationToken) is not { } app)
        {
            await AbandonAsync(rotation, null, "the app is no longer in the tenant", cancellationToken);
            return;
        }

        if (app.Credentials.All(c => c.KeyId != rotation.OldKeyId))
        {
            await AbandonAsync(rotation, app, $"{Name(rotation)} is no longer on the app", cancellationToken);
            return;
        }

        foreach (var left in app.Credentials.Where(c => c.Kind == CredentialKind.Secret && c.DisplayName == rotation.Marker))
        {
            // An earlier attempt created this secret and stopped before its value reached the vault: nobody has the
            // value, so it can only be removed (and a fresh one created), never delivered.
            var removed = await administration.RemoveSecretAsync(app.Kind, app.ObjectId, left.KeyId, cancellationToken);
            await audit.RecordAsync(AuditTrail.Bot, app.ObjectId, AuditOperation.RemoveUndeliveredSecret, removed ? AuditOutcome.Succeeded : AuditOutcome.AlreadyGone, $"Policy {policyName}: secret {left.KeyId} from an interrupted automatic rotation of {Name(rotation)} never reached the vault; removed before trying again", cancellationToken);
            await refresher.StoreChangeAsync(app.ObjectId, a => a with { Credentials = [.. a.Credentials.Where(c => c.KeyId != left.KeyId)] }, cancellationToken);
        }

        var lifetime = RotationRules.MaximumLifetime(policy, await administration.GetSecretLifetimeLimitAsync(cancellationToken));
        await rotations.MarkAddingAsync(rotation.Id, cancellationToken);
        NewSecret secret;
        try
        {
            secret = await administration.AddSecretAsync(app.Kind, app.ObjectId, rotation.Marker, now.Add(lifetime), cancellationToken);
        }
        catch (ODataError error)
        {
            await FailAsync(rotation, app, $"Entra refused the new secret: {error.Error?.Message ?? error.Message}", now, cancellationToken);
            return;
        }

        await rotations.MarkAddedAsync(rotation.Id, secret.KeyId, secret.EndsAt, cancellationToken);
        VaultReference written;
        try
        {
            written = await keyVault.StoreAsync(vault, app, secret, cancellationToken);
        }
#pragma warning disable CA1031 // Whatever failed, the value cannot be delivered: the secret is removed again and the rotation retried.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogVaultFailed(logger, app.ObjectId, ex);
            var removed = await TryRemoveAsync(app, secret.KeyId, cancellationToken);
            var status = (ex as Azure.RequestFailedException)?.Status.ToString(CultureInfo.InvariantCulture) ?? ex.GetType().Name;
            await FailAsync(rotation, app, $"Key Vault {vault.Host} did not take the new secret ({status}); " + (removed ? $"secret {secret.KeyId} was removed again" : $"secret {secret.KeyId} could not be removed and is removed at the next attempt"), now, cancellationToken);
            return;
        }

        var delivered = rotation with { State = AutomaticRotationState.Delivered, NewKeyId = secret.KeyId, NewEndsAt = secret.EndsAt, VaultSecretId = written.SecretId.ToString(), DeliveredAt = now };
        await audit.BeginChangeAsync(cancellationToken);
        if (!await rotations.MarkDeliveredAsync(rotation.Id, secret.KeyId, written.SecretId.ToString(), now, cancellationToken))
        {
            // This attempt outlived its claim and another one started over: that one removes this secret and delivers its own.
            await audit.AbandonChangeAsync();
            LogClaimLapsed(logger, app.ObjectId, secret.KeyId);
            return;
        }

        await receipts.WatchAsync(app.ObjectId, app.Kind, secret.KeyId, rotation.Marker, now, AuditTrail.Bot.ObjectId, AuditTrail.Bot.DisplayName, null, cancellationToken);
        await audit.RecordAsync(AuditTrail.Bot, app.ObjectId, AuditOperation.AutoRotateSecret, AuditOutcome.Succeeded, $"Policy {policyName}: new secret {secret.KeyId} valid until {CardText.Date(secret.EndsAt)}, stored in Key Vault as {written.SecretId}; replaces {Name(rotation)}, removed once the new secret is first used", cancellationToken);
        await audit.CommitChangeAsync(cancellationToken);
        LogRotated(logger, app.ObjectId, secret.KeyId, policyName);

        var updated = await refresher.StoreChangeAsync(app.ObjectId, secret.AddedTo, cancellationToken) ?? secret.AddedTo(app);
        if (await rotations.ClaimTellingAsync(rotation.Id, now, cancellationToken))
        {
            await TellOwnersAsync(updated, AutomaticRotationCards.Rotated(updated, delivered, policy), $"{updated.DisplayName}: a secret was rotated automatically", cancellationToken);
        }
    }

    private async Task FollowUpAsync(AutomaticRotationEntry rotation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await catalog.GetAsync(rotation.AppObjectId, cancellationToken) is not { } app)
        {
            return;
        }

        if (app.Credentials.All(c => c.KeyId != rotation.OldKeyId))
        {
            // Removed meanwhile (by an owner, or it expired and was cleaned up): nothing is left to remove or to warn about.
            await AbandonAsync(rotation, app, $"{Name(rotation)} left the app before the new secret was used", cancellationToken);
            return;
        }

        var policy = await policies.GetPolicyForAsync(app, cancellationToken);
        if (rotation.FirstUsedAt is { } used)
        {
            await ScheduleRemovalAsync(rotation, app, policy, $"new secret {rotation.NewKeyId} first used at {CardText.DateTime(used)}", now, cancellationToken);
            return;
        }

        var window = policy.AutomaticRotation?.UseWindowDays ?? AutomaticRotationRules.MaximumUseWindowDays;
        if (rotation.DeliveredAt is not { } delivered || !AutomaticRotationRules.UseWindowPassed(new AutomaticRotation(int.MaxValue, window), delivered, now))
        {
            return;
        }

        // The window is over: the reports are read now rather than trusting the receipt round's last look.
        var reading = await usage.ReadAsync(app, cancellationToken);
        if (reading.TryLater)
        {
            return;
        }

        if (reading.Usage is null)
        {
            // No usage reports in this tenant (licence, permission, or turned off): no evidence can come, so the old
            // secret is removed after the grace period as a person's rotation would have it.
            await ScheduleRemovalAsync(rotation, app, policy, "the usage reports are not available, so the removal goes ahead without a receipt", now, cancellationToken);
            return;
        }

        if (reading.Usage.LastUseOf(rotation.NewKeyId!) is { } lastUse)
        {
            await ScheduleRemovalAsync(rotation, app, policy, $"new secret {rotation.NewKeyId} used at {CardText.DateTime(lastUse)}", now, cancellationToken);
            return;
        }

        if (await rotations.ClaimEscalationAsync(rotation.Id, now, cancellationToken))
        {
            var reached = await TellOwnersAsync(app, AutomaticRotationCards.Unused(app, rotation, window), $"{app.DisplayName}: the new secret is not used", cancellationToken);
            await audit.RecordAsync(AuditTrail.Bot, app.ObjectId, AuditOperation.AutoRotationUnused, reached.Outcome, $"Policy {rotation.PolicyName}: new secret {rotation.NewKeyId} not used within {CardText.Count(window, "day")}; {Name(rotation)} is kept; {reached.Who}", cancellationToken);
        }
    }

    /// <summary>The old secret's removal, once, with its audit event in the same transaction; the janitor's removal does the rest.</summary>
    private async Task ScheduleRemovalAsync(AutomaticRotationEntry rotation, App app, Policy policy, string why, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var removeAt = now + policy.RotationGracePeriod;
        await audit.BeginChangeAsync(cancellationToken);
        if (!await rotations.MarkRemovalScheduledAsync(rotation.Id, now, cancellationToken))
        {
            await audit.AbandonChangeAsync();
            return;
        }

        await removals.ScheduleAsync(app.ObjectId, app.Kind, rotation.OldKeyId, rotation.OldCredentialName, removeAt, AuditTrail.Bot.ObjectId, $"CredentialBot (policy {rotation.PolicyName})", rotation.DeliveredAt ?? now, cancellationToken);
        await audit.RecordAsync(AuditTrail.Bot, app.ObjectId, AuditOperation.ScheduleOldSecretRemoval, AuditOutcome.Succeeded, $"Policy {rotation.PolicyName}: {why}; {Name(rotation)} is removed on {CardText.Date(removeAt)}", cancellationToken);
        await audit.CommitChangeAsync(cancellationToken);
    }

    private async Task RefuseAsync(AutomaticRotationEntry rotation, App app, string why, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await rotations.RefuseAsync(rotation.Id, why, cancellationToken))
        {
            return;
        }

        var told = await rotations.ClaimTellingAsync(rotation.Id, now, cancellationToken)
            ? (await TellOwnersAsync(app, AutomaticRotationCards.Refused(app, rotation, why), $"{app.DisplayName}: not rotated automatically", cancellationToken)).Who
            : "already told";
        await audit.RecordAsync(AuditTrail.Bot, app.ObjectId, AuditOperation.AutoRotationRefused, AuditOutcome.Refused, $"Policy {rotation.PolicyName}: {Name(rotation)} not rotated: {why} ({told})", cancellationToken);
    }

    private async Task FailAsync(AutomaticRotationEntry rotation, App app, string why, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var retryAt = now + options.Value.RetryAfter;
        await rotations.FailAsync(rotation.Id, why, retryAt, cancellationToken);
        await audit.RecordAsync(AuditTrail.Bot, app.ObjectId, AuditOperation.AutoRotateSecret, AuditOutcome.Failed, $"Policy {rotation.PolicyName}: {Name(rotation)} not rotated: {why}; tried again after {CardText.DateTime(retryAt)}", cancellationToken);
    }

    private async Task AbandonAsync(AutomaticRotationEntry rotation, App? app, string why, CancellationToken cancellationToken)
    {
        if (await rotations.AbandonAsync(rotation.Id, why, cancellationToken))
        {
            await audit.RecordAsync(AuditTrail.Bot, app?.ObjectId ?? rotation.AppObjectId, AuditOperation.AutoRotateSecret, AuditOutcome.AlreadyGone, $"Policy {rotation.PolicyName}: the automatic rotation of {Name(rotation)} stopped: {why}", cancellationToken);
        }
    }

    private async Task<bool> TryRemoveAsync(App app, string keyId, CancellationToken cancellationToken)
    {
        try
        {
            await administration.RemoveSecretAsync(app.Kind, app.ObjectId, keyId, cancellationToken);
            return true;
        }
        catch (ODataError ex)
        {
            LogUndoFailed(logger, app.ObjectId, keyId, ex);
            return false;
        }
    }

    /// <summary>
    /// Sends the card to each active owner the bot has a chat with; when none can be reached, to the admin channel.
    /// Says who heard it, for the audit trail.
    /// </summary>
    private async Task<(AuditOutcome Outcome, string Who)> TellOwnersAsync(App app, BotFramework.Cards.AdaptiveCard card, string summary, CancellationToken cancellationToken)
    {
        var reached = 0;
        foreach (var person in app.Owners.Where(o => !o.IsInactive).Select(o => o.ObjectId).Distinct(StringComparer.Ordinal))
        {
            if (await messenger.SendToPersonAsync(person, card, summary, cancellationToken) is not null)
            {
                reached++;
            }
        }

        if (reached > 0)
        {
            return (AuditOutcome.Succeeded, $"told {CardText.Count(reached, "owner")}");
        }

        var channel = notifications.Value.AdminChannelConversationId;
        return channel is { Length: > 0 } && await messenger.SendToConversationAsync(channel, card, summary, cancellationToken) is not null
            ? (AuditOutcome.Succeeded, "no owner could be reached; told the admin channel")
            : (AuditOutcome.Undeliverable, "no owner could be reached and no admin channel took it");
    }

    private static string Name(AutomaticRotationEntry rotation) => $"{rotation.OldCredentialName ?? rotation.OldKeyId} ({rotation.OldKeyId})";

    [LoggerMessage(Level = LogLevel.Information, Message = "Automatic rotation of {App}'s secret {KeyId} started under policy {Policy}")]
    private static partial void LogStarted(ILogger logger, string app, string keyId, string policy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotated {App} automatically: new key {KeyId}, policy {Policy}")]
    private static partial void LogRotated(ILogger logger, string app, string keyId, string policy);

    [LoggerMessage(Level = LogLevel.Error, Message = "Key Vault did not take {App}'s automatically rotated secret; it is removed again and retried")]
    private static partial void LogVaultFailed(ILogger logger, string app, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The automatic rotation of {App} outlived its claim; secret {KeyId} is left to the attempt that took over")]
    private static partial void LogClaimLapsed(ILogger logger, string app, string keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {App}'s undelivered secret {KeyId}; the next attempt removes it")]
    private static partial void LogUndoFailed(ILogger logger, string app, string keyId, Exception exception);
}
