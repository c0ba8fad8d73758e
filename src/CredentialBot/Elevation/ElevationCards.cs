using System.Globalization;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Dialogs;

namespace CredentialBot.Elevation;

/// <summary>The elevation request form.</summary>
public static class ElevationCards
{
    /// <summary>What an elevation lets someone do, for sentences: "rotate the credentials", "manage the owners".</summary>
    public static string RightName(AppRight right) => right == AppRight.ManageOwners ? "manage the owners" : "rotate the credentials";

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
            Value = ((int)preferred.TotalMinutes).ToString(CultureInfo.InvariantCulture),
            Choices = [.. durations.Select(d => new Choice(ElevationRules.Describe(d), ((int)d.TotalMinutes).ToString(CultureInfo.InvariantCulture)))],
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
}
