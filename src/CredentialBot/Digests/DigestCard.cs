using System.Text.Json;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Store.Services;

namespace CredentialBot.Digests;

/// <summary>
/// One person's expiry digest: every credential that reached a new stage for them in this scan, most urgent
/// first, grouped by App, with why they are told (their role) and a way to see the App's full status.
/// Built from the store's current state when sent, so it never shows a credential that was rotated meanwhile.
/// </summary>
public static class DigestCard
{
    /// <summary>Apps shown; each Snooze button carries the digest so it can be redrawn, which keeps cards under 28 KB.</summary>
    public const int MaxApps = 7;

    /// <summary>How long Snooze pauses notices.</summary>
    public const int SnoozeDays = 7;

    /// <summary>
    /// A person's digest. Apps someone paused show who and until when instead of the Snooze button.
    /// </summary>
    /// <param name="items">Apps with the notices to show, most urgent first.</param>
    /// <param name="now">The clock, for days left.</param>
    /// <param name="pauses">Pauses in force for these Apps.</param>
    /// <param name="dialogButtons">How Rotate now and Request elevation open their dialog.</param>
    public static AdaptiveCard ForOwner(IReadOnlyList<DigestItem> items, DateTimeOffset now, IReadOnlyList<NoticePause>? pauses = null, DialogButtons dialogButtons = DialogButtons.TaskModule) =>
        Build(items, now, pauses, forAdmins: false, dialogButtons, unreachableOwner: null);

    /// <summary>
    /// The admin-channel digest: credentials nobody can act on, or (<paramref name="unreachableOwner"/>) those of a person
    /// who cannot be reached because the app is not installed for them. No Snooze, no Rotate.
    /// </summary>
    /// <param name="items">Apps with the notices to show, most urgent first.</param>
    /// <param name="now">The clock, for days left.</param>
    /// <param name="unreachableOwner">The person who cannot be told, by name.</param>
    public static AdaptiveCard ForAdmins(IReadOnlyList<DigestItem> items, DateTimeOffset now, string? unreachableOwner = null) =>
        Build(items, now, pauses: null, forAdmins: true, DialogButtons.TaskModule, unreachableOwner);

    /// <summary>
    /// The admin channel heard that <paramref name="owner"/> could not be told; this says they were, when, and about
    /// which Apps, so nobody installs the app for them or reassigns their credentials for nothing.
    /// </summary>
    /// <param name="owner">The person reached, by name.</param>
    /// <param name="delivered">What their digest told them.</param>
    /// <param name="at">When it was delivered.</param>
    public static AdaptiveCard OwnerReached(string owner, IReadOnlyList<DigestItem> delivered, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(delivered);
        var credentialCount = delivered.Sum(i => i.Notices.Select(n => n.CredentialKeyId).Distinct(StringComparer.Ordinal).Count());
        var apps = string.Join(", ", delivered.Take(MaxApps).Select(i => CardText.Literal(i.App.DisplayName, 60)))
            + (delivered.Count > MaxApps ? $" and {delivered.Count - MaxApps} more" : string.Empty);
        return CardParts.Card(
        [
            CardParts.Heading($"{CardText.Literal(owner, 60)} was reached"),
            CardParts.Text($"CredentialBot found them in a team and sent them their expiry card on {CardText.DateTime(at)}: {CardText.Count(credentialCount, "credential")} of {apps}. Nothing more is needed from you for these."),
        ]);
    }

    private static AdaptiveCard Build(IReadOnlyList<DigestItem> items, DateTimeOffset now, IReadOnlyList<NoticePause>? pauses, bool forAdmins, DialogButtons dialogButtons, string? unreachableOwner)
    {
        ArgumentNullException.ThrowIfNull(items);
        var shown = items.Take(MaxApps).ToList();
        IReadOnlyList<string> digest = [.. shown.Select(i => i.App.ObjectId)];
        var credentialCount = items.Sum(i => i.Notices.Select(n => n.CredentialKeyId).Distinct(StringComparer.Ordinal).Count());
        var body = new List<CardElement>
        {
            unreachableOwner is not null
                ? CardParts.Heading($"{CardText.Literal(unreachableOwner, 60)} cannot be told about {CardText.Count(credentialCount, "credential")}")
                : forAdmins
                ? CardParts.Heading(credentialCount == 1 ? "A credential has no active owner" : $"{credentialCount} credentials have no active owner")
                : CardParts.Heading(credentialCount == 1 ? "A credential needs you" : $"{credentialCount} credentials need you"),
            CardParts.Text(unreachableOwner is not null
                ? "CredentialBot cannot reach them: they are in no team the bot is in, and the app is not installed for them. Add the bot to a team they are in, install the app for them (Teams admin center), or assign another owner; you will hear here when they are reached."
                : forAdmins
                ? "These app secrets and certificates are expired or about to expire, and nobody who could rotate them is active. Assign an owner."
                : "These app secrets and certificates are expired or about to expire. Rotate them before they break production."),
        };

        foreach (var item in shown)
        {
            var (app, notices, policyName) = item;
            IReadOnlyList<string> keys = [.. notices.Select(n => n.CredentialKeyId).Distinct(StringComparer.Ordinal)];
            var role = notices.Min(n => n.Role);
            body.Add(CardParts.Section(CardText.Literal(app.DisplayName)));
            body.Add(CardParts.Subtle(forAdmins ? $"App ID {CardText.Literal(app.AppId)}" : $"App ID {CardText.Literal(app.AppId)} · you are told as its {RoleName(role)}"));
            var credentials = notices.Select(n => n.CredentialKeyId).Distinct(StringComparer.Ordinal)
                .Select(id => app.Credentials.FirstOrDefault(c => c.KeyId == id)).OfType<Credential>()
                .OrderBy(c => c.EndsAt).ToList();
            body.Add(CardParts.Table(["Credential", "Type", "Expires", "Days left", "Stage"], credentials.Select(c => new CardCell[]
            {
                new(CardText.Literal(c.DisplayName ?? c.KeyId)),
                new(CardText.KindName(c.Kind)),
                new(CardText.Date(c.EndsAt)),
                new(CardText.DaysLeft(c, now), CardText.UrgencyOf(c, now)),
                new(StageName(notices.First(n => n.CredentialKeyId == c.KeyId).Stage)),
            })));
            foreach (var rotated in item.RotatedAutomatically)
            {
                body.Add(CardParts.Text(RotatedAutomaticallyLine(rotated), Urgency.Healthy));
            }

            body.Add(CardParts.Subtle(OwnersLine(app) + (policyName is { } policy ? $" · Policy: {CardText.Literal(policy, 60)}" : string.Empty)));
            var snooze = pauses?.Where(s => s.AppObjectId == app.ObjectId && keys.Contains(s.CredentialKeyId)).MaxBy(s => s.At);
            if (snooze is not null)
            {
                body.Add(CardParts.Subtle(snooze.Until == credentials.Max(c => c.EndsAt)
                    ? $"Acknowledged by {CardText.Literal(snooze.ByName ?? "an owner")}: no more notices until it expires on {CardText.Date(snooze.Until)}."
                    : $"Snoozed by {CardText.Literal(snooze.ByName ?? "an owner")} until {CardText.Date(snooze.Until)}."));
            }

            List<CardAction> actions = [];
            if (!forAdmins)
            {
                // Rotate where the reader can (by ownership; a grant shows on the status card), otherwise ask for it.
                var reader = new Principal(notices[0].RecipientObjectId, null, IsAdmin: false);
                var mostUrgent = credentials.First();
                actions.Add(Authorizer.Decide(reader, app, AppRight.ManageCredentials, [], now).Allowed
                    ? CardParts.OpenDialog("Rotate now", DialogNames.Rotate, app.ObjectId, mostUrgent.KeyId, buttons: dialogButtons)
                    : CardParts.OpenDialog("Request elevation", DialogNames.Elevate, app.ObjectId, buttons: dialogButtons));
            }

            actions.AddRange(
            [
                CardParts.Command("Status", $"{CommandNames.Status} {app.AppId}"),
                CardParts.OpenUrl("Open in Entra", CardText.EntraPortalLink(app)),
            ]);
            if (snooze is null && !forAdmins)
            {
                actions.Add(new ActionExecute
                {
                    Title = $"Snooze {SnoozeDays} days",
                    Verb = CardVerbs.Snooze,
                    Data = JsonSerializer.SerializeToElement(new PauseNoticesData(app.ObjectId, keys, SnoozeDays, digest), CardDataJson.Default.PauseNoticesData),
                });
                if (credentials.All(c => !c.IsExpired(now)))
                {
                    actions.Add(new ActionExecute
                    {
                        Title = "Acknowledge",
                        Verb = CardVerbs.Acknowledge,
                        Data = JsonSerializer.SerializeToElement(new PauseNoticesData(app.ObjectId, keys, 0, digest), CardDataJson.Default.PauseNoticesData),
                    });
                }
            }

            body.Add(new ActionSet { Actions = actions });
        }

        if (items.Count > MaxApps)
        {
            body.Add(CardParts.Subtle($"…and {items.Count - MaxApps} more apps. Type **{CommandNames.MyApps}** to see them all."));
        }

        return CardParts.Card(body);
    }

    /// <summary>What a hands-free rotation did: which secret or certificate, where the new one went (a certificate: its thumbprint and expiry), when; never a value.</summary>
    private static string RotatedAutomaticallyLine(AutomaticRotationEntry rotated) => rotated.Kind == CredentialKind.Certificate
        ? $"Rotated automatically on {(rotated.DeliveredAt is { } on ? CardText.DateTime(on) : "?")} (policy {CardText.Literal(rotated.PolicyName, 60)}): "
            + $"{CardText.Literal(rotated.OldCredentialName ?? rotated.OldKeyId, 60)} was replaced by certificate {rotated.NewKeyId} (thumbprint {CardText.Literal(rotated.NewThumbprint ?? "?", 64)}, valid until {(rotated.NewEndsAt is { } ends ? CardText.Date(ends) : "?")}), "
            + $"made by Key Vault as {CardText.Literal(rotated.VaultSecretId ?? "?", 200)}; its private key stays there. "
            + (rotated.RemovalScheduledAt is null ? "The old certificate is removed once the new one is first used." : "The new one is in use; the old certificate's removal is scheduled.")
        : $"Rotated automatically on {(rotated.DeliveredAt is { } at ? CardText.DateTime(at) : "?")} (policy {CardText.Literal(rotated.PolicyName, 60)}): "
        + $"{CardText.Literal(rotated.OldCredentialName ?? rotated.OldKeyId, 60)} was replaced by secret {rotated.NewKeyId}, stored in Key Vault as "
        + $"{CardText.Literal(rotated.VaultSecretId ?? "?", 200)}. "
        + (rotated.RemovalScheduledAt is null ? "The old secret is removed once the new one is first used." : "The new one is in use; the old secret's removal is scheduled.");

    private static string StageName(string stage) => stage switch
    {
        Notice.ExpiredStage => "Expired",
        "" => "—",
        _ => $"{stage}-day notice",
    };

    /// <summary>Who is accountable, by kind, at most three names each so the card stays small.</summary>
    private static string OwnersLine(App app) =>
        "Owners: " + string.Join(" · ", Enum.GetValues<OwnerKind>().Select(kind =>
        {
            var names = app.OwnersOf(kind).Where(o => !o.IsInactive).Select(o => CardText.Literal(o.DisplayName, 40)).ToList();
            var shown = names.Count == 0 ? "none" : string.Join(", ", names.Take(3)) + (names.Count > 3 ? $" +{names.Count - 3}" : string.Empty);
            return $"{CardText.OwnerKindName(kind)} {shown}";
        }));

    private static string RoleName(RecipientRole role) => role switch
    {
        RecipientRole.TechnicalOwner => "technical owner",
        RecipientRole.BusinessOwner => "business owner",
        _ => "Entra owner",
    };
}
