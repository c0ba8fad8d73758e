using CredentialBot.BotFramework.Cards;
using CredentialBot.Dialogs;
using CredentialBot.Domain;
using CredentialBot.Store.Services;

namespace CredentialBot.Cards;

/// <summary>Cards of the rotate, elevate and owner dialogs, and of their outcomes.</summary>
public static class ActionCards
{
    /// <summary>A dialog page that only says something (a refusal, a result), with optional next steps.</summary>
    public static AdaptiveCard Notice(string title, string text, Urgency urgency = Urgency.None, params CardAction[] actions) =>
        CardParts.Card([CardParts.Heading(title), CardParts.Text(text, urgency)], actions);

    public static AdaptiveCard RotateForm(App app, Policy policy, IReadOnlyList<int> lifetimes, string? replacing, DateTimeOffset now, DialogData submit, IReadOnlyList<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(policy);
        var secrets = app.Credentials.Where(c => c.Kind == CredentialKind.Secret).OrderBy(c => c.EndsAt).ToList();
        var graceDays = (int)policy.RotationGracePeriod.TotalDays;
        var body = new List<CardElement>
        {
            CardParts.Heading($"Rotate a secret of {CardText.Literal(app.DisplayName, 80)}"),
            CardParts.Text($"A new client secret is created in Entra. Its value is shown once, here, to you only. Policy {CardText.Literal(policy.Name)} allows at most {policy.MaximumSecretLifetime.TotalDays:0} days."),
        };
        body.AddRange(CardParts.Problems(problems));
        body.Add(new InputChoiceSet
        {
            Id = "replace",
            Label = "Secret to replace",
            Style = "compact",
            Value = replacing ?? secrets.FirstOrDefault()?.KeyId ?? string.Empty,
            Choices = [.. secrets.Select(c => new Choice($"{CardText.Literal(c.DisplayName ?? c.KeyId, 60)} ({CardText.DaysLeft(c, now)})", c.KeyId)), new Choice("None: keep every existing secret", string.Empty)],
        });
        body.Add(new InputText { Id = "description", Label = "Description of the new secret", MaxLength = RotationRules.MaxDescriptionLength, Value = $"Rotated by CredentialBot {CardText.Date(now)}" });
        body.Add(new InputChoiceSet
        {
            Id = "lifetime",
            Label = "Valid for",
            Style = "compact",
            IsRequired = true,
            ErrorMessage = "Choose how long the new secret is valid.",
            Value = lifetimes.Max().ToString(System.Globalization.CultureInfo.InvariantCulture),
            Choices = [.. lifetimes.Select(d => new Choice($"{d} days", d.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
        });
        body.Add(new InputChoiceSet
        {
            Id = "grace",
            Label = "Keep the replaced secret for",
            Style = "compact",
            Value = graceDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Choices = [.. RotationRules.GraceChoicesDays.Select(d => new Choice(d == 0 ? "Remove it now" : $"{d} days", d.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
        });
        return CardParts.Card(body, [CardParts.SubmitDialog("Create the new secret", submit, "positive")]);
    }

    /// <summary>The only place a secret value ever appears: the requester's dialog, once.</summary>
    public static AdaptiveCard NewSecret(App app, NewSecret secret, SecretRemoval? removal, string? vaultFailure = null) =>
        CardParts.Card(
        [
            CardParts.Heading($"New secret for {CardText.Literal(app.DisplayName, 80)}"),
            .. vaultFailure is null ? Array.Empty<CardElement>() : [CardParts.Text(CardText.Literal(vaultFailure, 300), Urgency.Critical)],
            CardParts.Text("Copy the value now and store it where the app reads it (for example Key Vault). It is shown only this once: CredentialBot does not keep it.", Urgency.Warning),
            new InputText { Id = "secretValue", Label = "Secret value", Value = secret.Value },
            CardParts.Facts(
                ("Key ID", CardText.Literal(secret.KeyId)),
                ("Expires", CardText.Date(secret.EndsAt)),
                ("Replaces", removal is null ? "nothing: every existing secret stays" : $"{CardText.Literal(removal.CredentialName ?? removal.KeyId, 60)}, removed on {CardText.Date(removal.DueAt)}")),
        ]);

    /// <summary>A secret written to Key Vault: the reference, never the value.</summary>
    public static AdaptiveCard NewSecretInVault(App app, string keyId, DateTimeOffset endsAt, Actions.VaultReference stored, SecretRemoval? removal) =>
        CardParts.Card(
        [
            CardParts.Heading($"New secret for {CardText.Literal(app.DisplayName, 80)}"),
            CardParts.Text("The new value went straight to Key Vault; CredentialBot never showed or kept it. Point the app at the new version.", Urgency.Healthy),
            CardParts.Facts(
                ("Key Vault secret", CardText.Literal(stored.SecretId.ToString(), 300)),
                ("Key ID", CardText.Literal(keyId)),
                ("Expires", CardText.Date(endsAt)),
                ("Replaces", removal is null ? "nothing: every existing secret stays" : $"{CardText.Literal(removal.CredentialName ?? removal.KeyId, 60)}, removed on {CardText.Date(removal.DueAt)}")),
        ]);

    public static AdaptiveCard CertificateElsewhere(App app, Credential certificate) =>
        CardParts.Card(
        [
            CardParts.Heading($"Certificate of {CardText.Literal(app.DisplayName, 80)}"),
            CardParts.Facts(("Certificate", CardText.Literal(certificate.DisplayName ?? certificate.KeyId)), ("Expires", CardText.Date(certificate.EndsAt))),
            CardParts.Text("Certificates are issued by your certificate authority, not created by CredentialBot. Upload the new public certificate (.cer) in Entra; the next scan sees it and the expiry notices stop."),
        ],
        [CardParts.OpenUrl("Open the app's certificates in Entra", CardText.EntraPortalLink(app))]);

    public static AdaptiveCard ElevateForm(App app, Policy policy, AppRight right, DialogData submit, IReadOnlyList<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(policy);
        var durations = ElevationRules.DurationsUnder(policy);
        var preferred = durations.Contains(ElevationRules.DefaultDuration) ? ElevationRules.DefaultDuration : durations.Count > 0 ? durations[^1] : policy.Elevation.MaximumDuration;
        var body = new List<CardElement>
        {
            CardParts.Heading($"Request elevation on {CardText.Literal(app.DisplayName, 80)}"),
            CardParts.Text($"An owner or an admin approves it; the right then lasts for the time you choose (policy {CardText.Literal(policy.Name)}: at most {ElevationRules.Describe(policy.Elevation.MaximumDuration)}). It covers this one app only."),
        };
        body.AddRange(CardParts.Problems(problems));
        body.Add(new InputChoiceSet
        {
            Id = "right",
            Label = "To",
            Style = "expanded",
            Value = right.ToString(),
            Choices = [new Choice("Rotate its secrets and certificates", nameof(AppRight.ManageCredentials)), new Choice("Manage its owners", nameof(AppRight.ManageOwners))],
        });
        body.Add(new InputChoiceSet
        {
            Id = "minutes",
            Label = "For",
            Style = "compact",
            Value = ((int)preferred.TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Choices = [.. durations.Select(d => new Choice(ElevationRules.Describe(d), ((int)d.TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture)))],
        });
        body.Add(new InputText
        {
            Id = "justification",
            Label = "Justification",
            IsMultiline = true,
            MaxLength = ElevationRules.MaxJustificationLength,
            IsRequired = policy.Elevation.JustificationRequired,
            ErrorMessage = "Say why you need it.",
        });
        body.Add(new InputText
        {
            Id = "ticket",
            Label = policy.Elevation.TicketRequired ? "Ticket number" : "Ticket number (optional)",
            MaxLength = ElevationRules.MaxTicketLength,
            IsRequired = policy.Elevation.TicketRequired,
            ErrorMessage = "Give the change or incident ticket number.",
        });
        return CardParts.Card(body, [CardParts.SubmitDialog("Send for approval", submit, "positive")]);
    }

    /// <summary>Owner kinds offered in the owner dialog, as choice values.</summary>
    public static readonly IReadOnlyList<(string Value, string Title, OwnerKind Kind, bool ManageCredentials)> OwnerKindChoices =
    [
        ("technical-rotate", "Technical owner who can rotate credentials", OwnerKind.Technical, true),
        ("technical", "Technical owner (notified, cannot rotate)", OwnerKind.Technical, false),
        ("business", "Business owner", OwnerKind.Business, false),
        ("entra", "Entra owner (full control in Entra)", OwnerKind.Entra, false),
    ];

    public static AdaptiveCard OwnerForm(App app, string mode, DialogData submit, IReadOnlyList<string>? problems = null, string? person = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var (title, explanation, personLabel) = mode switch
        {
            OwnerModes.Transfer => ($"Transfer your ownership of {CardText.Literal(app.DisplayName, 80)}", "The person you name replaces you as an owner of the kind you choose. Another current owner or an admin approves the transfer.", "Transfer to (user principal name or email)"),
            OwnerModes.Remove => ($"Remove an owner of {CardText.Literal(app.DisplayName, 80)}", "An owner a policy requires cannot be removed while they are the last of their kind.", "Owner to remove (user principal name or email)"),
            _ => ($"Add an owner to {CardText.Literal(app.DisplayName, 80)}", "Entra owners and admins add owners directly; anyone else's request goes to a current owner for approval.", "Person (user principal name or email)"),
        };
        var body = new List<CardElement> { CardParts.Heading(title), CardParts.Text(explanation) };
        body.AddRange(CardParts.Problems(problems));
        body.Add(new InputText { Id = "person", Label = personLabel, IsRequired = true, MaxLength = 256, Value = person, Style = "email", ErrorMessage = "Name the person." });
        body.Add(new InputChoiceSet
        {
            Id = "kind",
            Label = "Kind of owner",
            Style = "expanded",
            Value = "technical-rotate",
            Choices = [.. OwnerKindChoices.Select(c => new Choice(c.Title, c.Value))],
        });
        body.Add(new InputText { Id = "reason", Label = "Reason", IsMultiline = true, MaxLength = 500 });
        return CardParts.Card(body, [CardParts.SubmitDialog(mode == OwnerModes.Remove ? "Remove the owner" : "Submit", submit, mode == OwnerModes.Remove ? "destructive" : "positive")]);
    }
}

/// <summary>Modes of the owner dialog.</summary>
public static class OwnerModes
{
    public const string Add = "add";
    public const string Transfer = "transfer";
    public const string Remove = "remove";
}
