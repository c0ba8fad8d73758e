using System.Globalization;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;

namespace CredentialBot.Admin.Policies;

/// <summary>Cards for listing, showing and editing policies.</summary>
public static class PolicyCards
{
    /// <summary>The dialog's <c>app</c> slot names no App here (the policy's name is the dialog's subject).</summary>
    public const string DialogApp = "policies";

    public static AdaptiveCard List(IReadOnlyList<Policy> policies, IReadOnlyDictionary<string, IReadOnlyList<string>> assignments, string? scope = null)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(assignments);
        return CardParts.Card(
        [
            CardParts.Heading($"{policies.Count} {(policies.Count == 1 ? "policy" : "policies")}"),
            .. ScopeLine(scope, "Only policies that govern your apps, or are assigned inside your scope, are shown; you may edit those assigned only inside it."),
            CardParts.Table(
                ["Policy", "Stages (days)", "Min owners E/T/B", "Assigned to"],
                policies.Select(p => new CardCell[]
                {
                    new(CardText.Literal(p.Name, 60)),
                    new(string.Join("/", p.ExpiryStagesDays)),
                    new($"{p.MinimumEntraOwners}/{p.MinimumTechnicalOwners}/{p.MinimumBusinessOwners}"),
                    new(CardText.Literal(string.Join("; ", assignments.GetValueOrDefault(p.Name) ?? []), 120)),
                }),
                policies.Select(p => $"{CommandNames.Policy} {p.Name}")),
            CardParts.Subtle("Select a policy to see and edit it. The most specific assignment wins: app, then tag, then name pattern, then the kind's default."),
        ]);
    }

    /// <param name="policy">The policy.</param>
    /// <param name="assignedTo">What it is assigned to, as the reader may see it.</param>
    /// <param name="buttons">How dialogs open here.</param>
    /// <param name="banner">A line above the heading (e.g. who saved it).</param>
    /// <param name="editRefusal">Why the reader may not edit it (a scoped admin): shown instead of the Edit button.</param>
    public static AdaptiveCard Show(Policy policy, IReadOnlyList<string> assignedTo, DialogButtons buttons, string? banner = null, string? editRefusal = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var body = new List<CardElement>();
        if (banner is not null)
        {
            body.Add(CardParts.Text(banner, Urgency.Healthy));
        }

        body.Add(CardParts.Heading($"Policy {CardText.Literal(policy.Name, 80)}"));
        body.Add(CardParts.Facts(
            ("Expiry stages", string.Join(", ", policy.ExpiryStagesDays.Select(d => CardText.Count(d, "day"))) + " and expired"),
            ("Minimum owners", $"{policy.MinimumEntraOwners} Entra, {policy.MinimumTechnicalOwners} technical, {policy.MinimumBusinessOwners} business"),
            ("Maximum secret lifetime", $"{policy.MaximumSecretLifetime.TotalDays:0} days"),
            ("Rotation grace period", $"{policy.RotationGracePeriod.TotalDays:0} days"),
            ("Time to replace an owner who left", $"{policy.OwnerReplacementGracePeriod.TotalDays:0} days, then the admins are told"),
            ("Automatic rotation", DescribeAutomaticRotation(policy)),
            ("Elevation", $"up to {ElevationRules.Describe(policy.Elevation.MaximumDuration)}; justification {(policy.Elevation.JustificationRequired ? "required" : "optional")}; ticket {(policy.Elevation.TicketRequired ? "required" : "optional")}; approval {(policy.Elevation.ApprovalRequired ? "required" : "not required")}"),
            ("Approval channel", policy.ApprovalChannelId is { } channel ? CardText.Literal(channel, 80) : "none: the app's owners are asked 1:1"),
            ("Assigned to", assignedTo.Count == 0 ? "nothing" : CardText.Literal(string.Join("; ", assignedTo), 300))));
        if (editRefusal is not null)
        {
            body.Add(CardParts.Subtle(CardText.Literal(editRefusal, 400)));
            return CardParts.Card(body);
        }

        return CardParts.Card(body, [CardParts.OpenDialog("Edit", DialogNames.Policy, DialogApp, policy.Name, buttons: buttons)]);
    }

    public static AdaptiveCard Edit(Policy policy, IReadOnlyList<string>? problems = null, string? confirmId = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        static string Number(double value) => value.ToString("0", CultureInfo.InvariantCulture);
        var body = new List<CardElement> { CardParts.Heading($"Edit policy {CardText.Literal(policy.Name, 80)}") };
        body.AddRange(CardParts.Problems(problems));
        body.AddRange(
        [
            new InputText { Id = "stages", Label = "Expiry stages, in days before expiry (first 7 to 90)", Value = string.Join(",", policy.ExpiryStagesDays), MaxLength = 40 },
            new InputText { Id = "minEntra", Label = "Minimum Entra owners", Value = Number(policy.MinimumEntraOwners), MaxLength = 2 },
            new InputText { Id = "minTechnical", Label = "Minimum technical owners", Value = Number(policy.MinimumTechnicalOwners), MaxLength = 2 },
            new InputText { Id = "minBusiness", Label = "Minimum business owners", Value = Number(policy.MinimumBusinessOwners), MaxLength = 2 },
            new InputText { Id = "maxLifetimeDays", Label = "Maximum secret lifetime (days)", Value = Number(policy.MaximumSecretLifetime.TotalDays), MaxLength = 4 },
            new InputText { Id = "graceDays", Label = "Rotation grace period (days)", Value = Number(policy.RotationGracePeriod.TotalDays), MaxLength = 3 },
            new InputText { Id = "replaceOwnerDays", Label = "Days to replace a disabled or deleted owner before admins are told (1 to 90)", Value = Number(policy.OwnerReplacementGracePeriod.TotalDays), MaxLength = 2 },
            new InputText { Id = "autoRotateDays", Label = "Rotate secrets and Key Vault-made certificates automatically into the app's Key Vault this many days before expiry (empty: off; at most the first stage)", Value = policy.AutomaticRotation is { } on ? Number(on.DaysBeforeExpiry) : string.Empty, MaxLength = 2 },
            new InputText { Id = "autoRotateUseDays", Label = "Days the new credential has to be used before its owners are told (fewer than the days above)", Value = Number(policy.AutomaticRotation?.UseWindowDays ?? 3), MaxLength = 2 },
            new InputText { Id = "maxElevationHours", Label = "Maximum elevation (hours)", Value = policy.Elevation.MaximumDuration.TotalHours.ToString("0.##", CultureInfo.InvariantCulture), MaxLength = 6 },
            new InputToggle { Id = "justification", Title = "Elevation needs a justification", Value = Bool(policy.Elevation.JustificationRequired), ValueOn = "true", ValueOff = "false" },
            new InputToggle { Id = "ticket", Title = "Elevation needs a ticket number", Value = Bool(policy.Elevation.TicketRequired), ValueOn = "true", ValueOff = "false" },
            new InputToggle { Id = "approval", Title = "Elevation needs an approval", Value = Bool(policy.Elevation.ApprovalRequired), ValueOn = "true", ValueOff = "false" },
            new InputText { Id = "channel", Label = "Approval channel (conversation id; empty: owners 1:1)", Value = policy.ApprovalChannelId ?? string.Empty, MaxLength = 256 },
        ]);
        return CardParts.Card(body, [CardParts.SubmitDialog("Save policy", new DialogData(null, DialogNames.Policy, DialogApp, policy.Name, Confirm: confirmId), "positive")]);
    }

    /// <summary>The policy's hands-free rotation in words, for its card and the audit trail.</summary>
    public static string DescribeAutomaticRotation(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.AutomaticRotation is { } on
            ? $"secrets and Key Vault-made certificates into the app's Key Vault {CardText.Count(on.DaysBeforeExpiry, "day")} before expiry; the new credential must be used within {CardText.Count(on.UseWindowDays, "day")}"
            : "off";
    }

    /// <summary>"Your scope: Payroll (name:Payroll*). …" for a scoped admin; nothing for a global admin.</summary>
    private static IEnumerable<CardElement> ScopeLine(string? scope, string what) =>
        scope is null ? [] : [CardParts.Text($"**Your scope**: {CardText.Literal(scope, 400)}. {what}", Urgency.Warning)];

    private static string Bool(bool value) => value ? "true" : "false";
}
