using System.Text.Json;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Ownership;
using CredentialBot.Rotation;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Store.Services;

namespace CredentialBot.Status;

/// <summary>
/// One App's status: credentials with days left, owners by kind, its policy's findings and scheduled removals, and the
/// buttons of the person viewing it (none without a viewer: a card everyone in a conversation sees the same way).
/// </summary>
public static class StatusCard
{
    public static AdaptiveCard Build(
        App app,
        Policy policy,
        IReadOnlyList<Finding> findings,
        DateTimeOffset now,
        StatusViewer? viewer = null,
        string? banner = null,
        IReadOnlyList<SecretRemoval>? removals = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(findings);

        // A secret replaced by a rotation waits for its removal: it is shown as replaced, not as a finding to act on.
        var replaced = (removals ?? []).ToDictionary(r => r.KeyId, StringComparer.Ordinal);
        findings = [.. findings.Where(f => f switch
        {
            CredentialExpiringSoon soon => !replaced.ContainsKey(soon.Credential.KeyId),
            CredentialExpired expired => !replaced.ContainsKey(expired.Credential.KeyId),
            _ => true,
        })];
        var body = new List<CardElement>();
        if (banner is not null)
        {
            body.Add(CardParts.Text(banner, Urgency.Healthy));
        }

        body.AddRange(
        [
            CardParts.Heading(CardText.Literal(app.DisplayName)),
            CardParts.Subtle(CardText.AppKindName(app.Kind)),
            CardParts.Facts(
                ("App ID", CardText.Literal(app.AppId)),
                ("Object ID", CardText.Literal(app.ObjectId)),
                ("Policy", CardText.Literal(policy.Name)),
                ("Status", findings.Count == 0 ? "Compliant" : $"{findings.Count} {(findings.Count == 1 ? "finding" : "findings")}")),
            CardParts.Section("Credentials"),
        ]);

        if (app.Credentials.Count == 0)
        {
            body.Add(CardParts.Text("This app has no secrets or certificates."));
        }
        else
        {
            body.Add(CardParts.Table(
                ["Credential", "Type", "Expires", "Days left"],
                app.Credentials.OrderBy(c => c.EndsAt).Select(c => CredentialRow(c, now, replaced.GetValueOrDefault(c.KeyId)))));
        }

        body.Add(CardParts.Section("Owners"));
        body.Add(CardParts.Facts([.. Enum.GetValues<OwnerKind>().Select(kind => (CardText.OwnerKindName(kind) + "s", OwnerList(app, kind)))]));

        body.Add(CardParts.Section("Findings"));
        if (findings.Count == 0)
        {
            body.Add(CardParts.Text("No findings: this app meets its policy.", Urgency.Healthy));
        }
        else
        {
            body.AddRange(findings.Select(f => CardParts.Text("• " + CardText.Literal(f.Describe(now), 300), UrgencyOf(f))));
        }

        foreach (var removal in removals ?? [])
        {
            var replacedBy = $"{CardText.Literal(removal.CredentialName ?? removal.KeyId, 60)} was replaced by {CardText.Literal(removal.RequestedByName ?? "an owner", 60)}'s rotation"
                + (removal.RotatedAt is { } at ? $" at {CardText.DateTime(at)}" : string.Empty);
            body.Add(removal is { AskedAt: not null, LastUsedAt: { } used }
                ? CardParts.Text($"{replacedBy}; its removal waits for an owner, because it was still used at {CardText.DateTime(used)}.", Urgency.Warning)
                : CardParts.Text($"{replacedBy} and is removed on {CardText.Date(removal.DueAt)}.", Urgency.None));
            var keep = new ActionExecute
            {
                Title = $"Keep {CardText.Literal(removal.CredentialName ?? "the old secret", 40)}",
                Verb = CardVerbs.KeepOldSecret,
                Data = JsonSerializer.SerializeToElement(new RemovalActionData(app.ObjectId, removal.KeyId), CardDataJson.Default.RemovalActionData),
            };
            body.Add(new ActionSet { Actions = [keep] });
        }

        var buttons = new List<CardAction>();
        if (viewer is not null)
        {
            var nearestSecret = app.Credentials.Where(c => c.Kind == CredentialKind.Secret).MinBy(c => c.EndsAt);
            buttons.Add(viewer.CanRotate
                ? CardParts.OpenDialog("Rotate now", DialogNames.Rotate, app.ObjectId, nearestSecret?.KeyId, buttons: viewer.Buttons)
                : CardParts.OpenDialog("Request elevation", DialogNames.Elevate, app.ObjectId, buttons: viewer.Buttons));
            if (viewer.CanRotate && app.Credentials.Where(c => c.Kind == CredentialKind.Certificate).MinBy(c => c.EndsAt) is { } nearestCertificate)
            {
                buttons.Add(CardParts.OpenDialog("Rotate certificate", DialogNames.RotateCertificate, app.ObjectId, nearestCertificate.KeyId, buttons: viewer.Buttons));
            }

            buttons.Add(CardParts.OpenDialog("Add owner", DialogNames.Owner, app.ObjectId, mode: OwnerModes.Add, buttons: viewer.Buttons));
            var inactive = app.Owners.FirstOrDefault(o => o.IsInactive);
            if (inactive is not null)
            {
                buttons.Add(CardParts.OpenDialog($"Replace {CardText.Literal(inactive.DisplayName, 30)}", DialogNames.Owner, app.ObjectId, inactive.ObjectId, OwnerModes.Transfer, viewer.Buttons));
            }
            else if (viewer.IsOwner)
            {
                buttons.Add(CardParts.OpenDialog("Transfer my ownership", DialogNames.Owner, app.ObjectId, mode: OwnerModes.Transfer, buttons: viewer.Buttons));
            }
        }

        buttons.Add(CardParts.OpenUrl($"Open {CardText.Literal(app.DisplayName, 40)} in Entra", CardText.EntraPortalLink(app)));
        return CardParts.Card(body, buttons);
    }

    /// <summary>
    /// A status card to share in a conversation (message extension, link unfurling): it refreshes itself for every
    /// viewer (no <c>userIds</c>: everyone in chats up to 60 people), so each sees live status and their own buttons.
    /// </summary>
    public static AdaptiveCard Shared(AdaptiveCard card, App app)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(app);
        return card with
        {
            Refresh = new CardRefresh
            {
                Action = new ActionExecute { Verb = CardVerbs.RefreshStatus, Data = JsonSerializer.SerializeToElement(new AppActionData(app.ObjectId), CardDataJson.Default.AppActionData) },
            },
        };
    }

    private static CardCell[] CredentialRow(Credential credential, DateTimeOffset now, SecretRemoval? replacedBy) =>
    [
        new(CardText.Literal(credential.DisplayName ?? credential.KeyId)),
        new(CardText.KindName(credential.Kind)),
        new(CardText.Date(credential.EndsAt)),
        replacedBy is null
            ? new(CardText.DaysLeft(credential, now), CardText.UrgencyOf(credential, now))
            : replacedBy.AskedAt is null
                ? new($"replaced; removed on {CardText.Date(replacedBy.DueAt)}", Urgency.None)
                : new("replaced; still used, its removal waits for an owner", Urgency.Warning),
    ];

    private static string OwnerList(App app, OwnerKind kind)
    {
        var owners = app.OwnersOf(kind).ToList();
        if (owners.Count == 0)
        {
            return "none";
        }

        return string.Join(", ", owners.Select(o =>
        {
            var name = CardText.Literal(o.DisplayName, 60);
            if (o.IsInactive)
            {
                name += o.Deleted ? " (deleted)" : " (disabled)";
            }
            else if (o.Kind == OwnerKind.Technical && o.CanManageCredentials)
            {
                name += " (can rotate)";
            }

            return name;
        }));
    }

    private static Urgency UrgencyOf(Finding finding) => finding switch
    {
        CredentialExpired => Urgency.Expired,
        CredentialExpiringSoon { StageDays: <= 7 } => Urgency.Critical,
        _ => Urgency.Warning,
    };
}
