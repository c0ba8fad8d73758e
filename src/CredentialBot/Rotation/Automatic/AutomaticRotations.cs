using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using CredentialBot.Digests;
using CredentialBot.Domain;
using CredentialBot.Rotation.Certificates;
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
/// A Key Vault-made certificate goes the same way with its own middle step (see <see cref="RotateCertificateAsync"/>): the
/// App's vault makes a new version and Entra takes its public key; a certificate the vault did not make is left to people.
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
    ICertificateVault vaults,
    CertificateRotation certificates,
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

    /// <summary>The Key Vault tag naming the rotation that asked for a certificate version (its marker).</summary>
    private const string RotationTag = "CredentialBotRotation";

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
            var what = rotation.Kind == CredentialKind.Certificate ? "make the new certificate in" : "write the new secret to";
            await RefuseAsync(rotation, stored, vaultRefusal ?? $"{stored.DisplayName} has no Key Vault to {what} (tag it {KeyVaultDelivery.TagPrefix} followed by an allowed vault's address).", now, cancellationToken);
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

        if (rotation.Kind == CredentialKind.Certificate)
        {
            await RotateCertificateAsync(rotation, app, policy, vault, now, cancellationToken);
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

        await rotations.MarkAddedAsync(rotation.Id, secret.KeyId, secret.EndsAt, cancellationToken: cancellationToken);
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
        if (!await DeliverAsync(rotation, app, secret.KeyId, written.SecretId.ToString(), AuditOperation.AutoRotateSecret, $"Policy {policyName}: new secret {secret.KeyId} valid until {CardText.Date(secret.EndsAt)}, stored in Key Vault as {written.SecretId}; replaces {Name(rotation)}, removed once the new secret is first used", now, cancellationToken))
        {
            // This attempt outlived its claim and another one started over: that one removes this secret and delivers its own.
            return;
        }

        var updated = await refresher.StoreChangeAsync(app.ObjectId, secret.AddedTo, cancellationToken) ?? secret.AddedTo(app);
        await TellRotatedAsync(updated, delivered, policy, now, cancellationToken);
    }

    /// <summary>
    /// Records the rotation delivered, starts watching for the new credential's receipt and audits it, all or nothing;
    /// false, with nothing recorded, when this attempt outlived its claim and another one started over.
    /// </summary>
    private async Task<bool> DeliverAsync(AutomaticRotationEntry rotation, App app, string newKeyId, string reference, AuditOperation operation, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await audit.BeginChangeAsync(cancellationToken);
        if (!await rotations.MarkDeliveredAsync(rotation.Id, newKeyId, reference, now, cancellationToken))
        {
            await audit.AbandonChangeAsync();
            LogClaimLapsed(logger, app.ObjectId, newKeyId);
            return false;
        }

        await receipts.WatchAsync(app.ObjectId, app.Kind, newKeyId, rotation.Marker, now, AuditTrail.Bot.ObjectId, AuditTrail.Bot.DisplayName, null, cancellationToken);
        await audit.RecordAsync(AuditTrail.Bot, app.ObjectId, operation, AuditOutcome.Succeeded, reason, cancellationToken);
        await audit.CommitChangeAsync(cancellationToken);
        LogRotated(logger, app.ObjectId, newKeyId, rotation.PolicyName);
        return true;
    }

    /// <summary>
    /// A Key Vault-made certificate's turn: only a certificate whose App's vault made it (the newest version of the App's
    /// vault certificate, where its consumers read it) is renewed there — anything else is left to people, audited and told
    /// once. The vault makes the new version tagged with this rotation's marker, and Entra takes its public key under the
    /// marker's name: after a stop anywhere in between, the next attempt finds the version (and the key) it already made and
    /// finishes with them, so a stage never makes two certificates. The private key stays in the vault.
    /// </summary>
    private async Task RotateCertificateAsync(AutomaticRotationEntry rotation, App app, Policy policy, Uri vault, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = CertificateRotation.VaultCertificateName(app);
        var current = await vaults.GetCurrentAsync(vault, name, cancellationToken);
        if (current.Refusal is { Kind: DirectoryRefusalKind.NotFound })
        {
            await RefuseAsync(rotation, app, $"{Name(rotation)} was not made by Key Vault {vault.Host}: the vault has no certificate {name}, so the bot cannot renew it where its consumers read it.", now, cancellationToken, AutomaticRotationState.LeftToPeople);
            return;
        }

        if (current.Value is not { } newest)
        {
            await FailAsync(rotation, app, $"Key Vault {vault.Host} could not be read: {current.Refusal!.Reason}" + (current.Refusal.RequiredPermission is { } permission ? $" (needs {permission})" : string.Empty), now, cancellationToken);
            return;
        }

        await rotations.MarkAddingAsync(rotation.Id, cancellationToken);
        PublicCertificate certificate;
        if (newest.Tags.TryGetValue(RotationTag, out var marker) && marker == rotation.Marker)
        {
            // An interrupted attempt had the vault make this version: it is finished with, never made a second time.
            certificate = newest.Certificate;
            LogResumed(logger, app.ObjectId, certificate.Thumbprint);
        }
        else
        {
            var old = app.Credentials.First(c => c.KeyId == rotation.OldKeyId);
            if (!IsVersion(newest.Certificate, old))
            {
                await RefuseAsync(rotation, app, $"{Name(rotation)} was not made by Key Vault {vault.Host}: the newest version of its certificate {name} (thumbprint {newest.Certificate.Thumbprint}, valid until {CardText.Date(newest.Certificate.NotAfter)}) is not this certificate, so renewing it there would not replace it.", now, cancellationToken, AutomaticRotationState.LeftToPeople);
                return;
            }

            var tenantMaximum = await certificates.TenantMaximumAsync(app, cancellationToken);
            var wanted = new NewCertificatePolicy(newest.Certificate.Subject, KeySize(newest.Certificate), CertificateRules.ValiditiesUnder(policy, tenantMaximum, now).Max());
            if (CertificateRules.VaultProblems(wanted, policy, tenantMaximum, (int)policy.RotationGracePeriod.TotalDays, now) is { Count: > 0 } problems)
            {
                await RefuseAsync(rotation, app, $"Key Vault {vault.Host} cannot renew {Name(rotation)} as it is: {string.Join(" ", problems)}", now, cancellationToken, AutomaticRotationState.LeftToPeople);
                return;
            }

            var (made, failure) = await certificates.MakeInVaultAsync(vault, app, wanted, new Dictionary<string, string>(StringComparer.Ordinal) { [RotationTag] = rotation.Marker, ["appId"] = app.AppId }, cancellationToken);
            if (made is null)
            {
                await FailAsync(rotation, app, $"Key Vault {vault.Host} did not make the new certificate: {failure}", now, cancellationToken);
                return;
            }

            certificate = made;
        }

        // Already on the App when an interrupted attempt got as far as Entra; otherwise its public key is added now.
        var credential = app.Credentials.FirstOrDefault(c => c.Kind == CredentialKind.Certificate && c.DisplayName == rotation.Marker);
        if (credential is null)
        {
            var (added, _, failure) = await certificates.AddToAppAsync(app, certificate, rotation.Marker, cancellationToken);
            if (added is null)
            {
                await FailAsync(rotation, app, $"{failure}; Key Vault's new version ({certificate.Thumbprint}) is added at the next attempt, not made again", now, cancellationToken);
                return;
            }

            credential = added;
        }

        await rotations.MarkAddedAsync(rotation.Id, credential.KeyId, certificate.NotAfter, certificate.Thumbprint, cancellationToken);
        var reference = new Uri(vault, $"certificates/{name}").ToString();
        var delivered = rotation with { State = AutomaticRotationState.Delivered, NewKeyId = credential.KeyId, NewEndsAt = certificate.NotAfter, VaultSecretId = reference, DeliveredAt = now, NewThumbprint = certificate.Thumbprint };
        if (!await DeliverAsync(rotation, app, credential.KeyId, reference, AuditOperation.AutoRotateCertificate, $"Policy {rotation.PolicyName}: new certificate {credential.KeyId} (thumbprint {certificate.Thumbprint}, {certificate.Subject}) valid until {CardText.Date(certificate.NotAfter)}, made by Key Vault {vault.Host} as certificate {name}, its private key kept there; replaces {Name(rotation)}, removed once the new certificate is first used", now, cancellationToken))
        {
            return;
        }

        var updated = await refresher.RefreshAsync(app.Kind, app.ObjectId, cancellationToken) ?? app;
        await TellRotatedAsync(updated, delivered, policy, now, cancellationToken);
    }

    private async Task TellRotatedAsync(App app, AutomaticRotationEntry delivered, Policy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await rotations.ClaimTellingAsync(delivered.Id, now, cancellationToken))
        {
            await TellOwnersAsync(app, AutomaticRotationCards.Rotated(app, delivered, policy), $"{app.DisplayName}: a {delivered.KindName} was rotated automatically", cancellationToken);
        }
    }

    /// <summary>
    /// Whether <paramref name="credential"/> on the App is <paramref name="version"/> from the vault. Entra records a
    /// certificate's validity as the key credential's start and end, to the second, and the scan does not read
    /// thumbprints; a certificate with the very same validity window as the vault's newest version is taken as that version.
    /// </summary>
    private static bool IsVersion(PublicCertificate version, Credential credential) =>
        credential.EndsAt.ToUnixTimeSeconds() == version.NotAfter.ToUnixTimeSeconds()
        && (credential.StartsAt is not { } starts || starts.ToUnixTimeSeconds() == version.NotBefore.ToUnixTimeSeconds());

    /// <summary>The old certificate's RSA key size when Key Vault offers it, else the smallest it does.</summary>
    private static int KeySize(PublicCertificate certificate)
    {
        using var loaded = X509CertificateLoader.LoadCertificate(certificate.Der.Span);
        using var rsa = loaded.GetRSAPublicKey();
        return rsa is not null && NewCertificatePolicy.KeySizes.Contains(rsa.KeySize) ? rsa.KeySize : NewCertificatePolicy.KeySizes[0];
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
            await AbandonAsync(rotation, app, $"{Name(rotation)} left the app before the new {rotation.KindName} was used", cancellationToken);
            return;
        }

        var policy = await policies.GetPolicyForAsync(app, cancellationToken);
        if (rotation.FirstUsedAt is { } used)
        {
            await ScheduleRemovalAsync(rotation, app, policy, $"new {rotation.KindName} {rotation.NewKeyId} first used at {CardText.DateTime(used)}", now, cancellationToken);
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
            await ScheduleRemovalAsync(rotation, app, policy, $"new {rotation.KindName} {rotation.NewKeyId} used at {CardText.DateTime(lastUse)}", now, cancellationToken);
            return;
        }

        if (await rotations.ClaimEscalationAsync(rotation.Id, now, cancellationToken))
        {
            var reached = await TellOwnersAsync(app, AutomaticRotationCards.Unused(app, rotation, window), $"{app.DisplayName}: the new {rotation.KindName} is not used", cancellationToken);
            await audit.RecordAsync(AuditTrail.Bot, app.ObjectId, AuditOperation.AutoRotationUnused, reached.Outcome, $"Policy {rotation.PolicyName}: new {rotation.KindName} {rotation.NewKeyId} not used within {CardText.Count(window, "day")}; {Name(rotation)} is kept; {reached.Who}", cancellationToken);
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

    private async Task RefuseAsync(AutomaticRotationEntry rotation, App app, string why, DateTimeOffset now, CancellationToken cancellationToken, AutomaticRotationState state = AutomaticRotationState.Refused)
    {
        if (!await rotations.RefuseAsync(rotation.Id, why, state, cancellationToken))
        {
            return;
        }

        var told = await rotations.ClaimTellingAsync(rotation.Id, now, cancellationToken)
            ? (await TellOwnersAsync(app, AutomaticRotationCards.Refused(app, rotation, why, state == AutomaticRotationState.LeftToPeople), $"{app.DisplayName}: not rotated automatically", cancellationToken)).Who
            : "already told";
        await audit.RecordAsync(AuditTrail.Bot, app.ObjectId, AuditOperation.AutoRotationRefused, AuditOutcome.Refused, $"Policy {rotation.PolicyName}: {Name(rotation)} not rotated: {why} ({told})", cancellationToken);
    }

    private async Task FailAsync(AutomaticRotationEntry rotation, App app, string why, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var retryAt = now + options.Value.RetryAfter;
        if (!await rotations.FailAsync(rotation.Id, why, now + options.Value.ClaimDuration, retryAt, cancellationToken))
        {
            // This attempt outlived its claim and another one took the rotation over: its outcome stands, not this failure.
            LogClaimLapsed(logger, app.ObjectId, rotation.NewKeyId ?? rotation.OldKeyId);
            return;
        }

        await audit.RecordAsync(AuditTrail.Bot, app.ObjectId, Operation(rotation), AuditOutcome.Failed, $"Policy {rotation.PolicyName}: {Name(rotation)} not rotated: {why}; tried again after {CardText.DateTime(retryAt)}", cancellationToken);
    }

    private async Task AbandonAsync(AutomaticRotationEntry rotation, App? app, string why, CancellationToken cancellationToken)
    {
        if (await rotations.AbandonAsync(rotation.Id, why, cancellationToken))
        {
            await audit.RecordAsync(AuditTrail.Bot, app?.ObjectId ?? rotation.AppObjectId, Operation(rotation), AuditOutcome.AlreadyGone, $"Policy {rotation.PolicyName}: the automatic rotation of {Name(rotation)} stopped: {why}", cancellationToken);
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

    private static AuditOperation Operation(AutomaticRotationEntry rotation) =>
        rotation.Kind == CredentialKind.Certificate ? AuditOperation.AutoRotateCertificate : AuditOperation.AutoRotateSecret;

    private static string Name(AutomaticRotationEntry rotation) => $"{rotation.OldCredentialName ?? rotation.OldKeyId} ({rotation.OldKeyId})";

    [LoggerMessage(Level = LogLevel.Information, Message = "Finishing {App}'s interrupted automatic certificate rotation with the version Key Vault already made ({Thumbprint})")]
    private static partial void LogResumed(ILogger logger, string app, string thumbprint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Automatic rotation of {App}'s credential {KeyId} started under policy {Policy}")]
    private static partial void LogStarted(ILogger logger, string app, string keyId, string policy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotated {App} automatically: new key {KeyId}, policy {Policy}")]
    private static partial void LogRotated(ILogger logger, string app, string keyId, string policy);

    [LoggerMessage(Level = LogLevel.Error, Message = "Key Vault did not take {App}'s automatically rotated secret; it is removed again and retried")]
    private static partial void LogVaultFailed(ILogger logger, string app, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The automatic rotation of {App} outlived its claim; credential {KeyId} is left to the attempt that took over")]
    private static partial void LogClaimLapsed(ILogger logger, string app, string keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {App}'s undelivered secret {KeyId}; the next attempt removes it")]
    private static partial void LogUndoFailed(ILogger logger, string app, string keyId, Exception exception);
}
