using System.Globalization;
using CredentialBot.Actions;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Cards;
using CredentialBot.Commands;
using CredentialBot.Dialogs;
using CredentialBot.Domain;
using Microsoft.Extensions.Options;

namespace CredentialBot.Admin;

/// <summary>Cards for listing, showing and editing policies.</summary>
public static class PolicyCards
{
    /// <summary>The dialog's <c>app</c> slot names no App here; the policy name travels as the subject.</summary>
    public const string DialogSubject = "policies";

    public static AdaptiveCard List(IReadOnlyList<Policy> policies, IReadOnlyDictionary<string, IReadOnlyList<string>> assignments)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(assignments);
        return CardParts.Card(
        [
            CardParts.Heading($"{policies.Count} {(policies.Count == 1 ? "policy" : "policies")}"),
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

    public static AdaptiveCard Show(Policy policy, IReadOnlyList<string> assignedTo, DialogButtons buttons, string? banner = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var body = new List<CardElement>();
        if (banner is not null)
        {
            body.Add(CardParts.Text(banner, Urgency.Healthy));
        }

        body.Add(CardParts.Heading($"Policy {CardText.Literal(policy.Name, 80)}"));
        body.Add(CardParts.Facts(
            ("Expiry stages", string.Join(", ", policy.ExpiryStagesDays.Select(d => $"{d} days")) + " and expired"),
            ("Minimum owners", $"{policy.MinimumEntraOwners} Entra, {policy.MinimumTechnicalOwners} technical, {policy.MinimumBusinessOwners} business"),
            ("Maximum secret lifetime", $"{policy.MaximumSecretLifetime.TotalDays:0} days"),
            ("Rotation grace period", $"{policy.RotationGracePeriod.TotalDays:0} days"),
            ("Elevation", $"up to {ElevationRules.Describe(policy.Elevation.MaximumDuration)}; justification {(policy.Elevation.JustificationRequired ? "required" : "optional")}; ticket {(policy.Elevation.TicketRequired ? "required" : "optional")}; approval {(policy.Elevation.ApprovalRequired ? "required" : "not required")}"),
            ("Approval channel", policy.ApprovalChannelId is { } channel ? CardText.Literal(channel, 80) : "none: the app's owners are asked 1:1"),
            ("Assigned to", assignedTo.Count == 0 ? "nothing" : CardText.Literal(string.Join("; ", assignedTo), 300))));
        return CardParts.Card(body, [CardParts.OpenDialog("Edit", DialogNames.Policy, DialogSubject, policy.Name, buttons: buttons)]);
    }

    public static AdaptiveCard Edit(Policy policy, IReadOnlyList<string>? problems = null)
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
            new InputText { Id = "maxElevationHours", Label = "Maximum elevation (hours)", Value = policy.Elevation.MaximumDuration.TotalHours.ToString("0.##", CultureInfo.InvariantCulture), MaxLength = 6 },
            new InputToggle { Id = "justification", Title = "Elevation needs a justification", Value = Bool(policy.Elevation.JustificationRequired), ValueOn = "true", ValueOff = "false" },
            new InputToggle { Id = "ticket", Title = "Elevation needs a ticket number", Value = Bool(policy.Elevation.TicketRequired), ValueOn = "true", ValueOff = "false" },
            new InputToggle { Id = "approval", Title = "Elevation needs an approval", Value = Bool(policy.Elevation.ApprovalRequired), ValueOn = "true", ValueOff = "false" },
            new InputText { Id = "channel", Label = "Approval channel (conversation id; empty: owners 1:1)", Value = policy.ApprovalChannelId ?? string.Empty, MaxLength = 256 },
        ]);
        return CardParts.Card(body, [CardParts.SubmitDialog("Save policy", new DialogData(null, DialogNames.Policy, DialogSubject, policy.Name), "positive")]);
    }

    private static string Bool(bool value) => value ? "true" : "false";
}

/// <summary><c>policies</c> (admins): every policy with its stages, owner minimums and assignments.</summary>
public sealed class PoliciesCommand(AdminGate gate, PolicyStore policies) : IBotCommand
{
    public string Name => CommandNames.Policies;

    public string Usage => CommandNames.Policies;

    public string Description => "Admins: list the policies and what each is assigned to.";

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (await gate.RefuseUnlessAdminAsync(request, Name, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        return CommandReply.WithCard(PolicyCards.List(await policies.ListAsync(cancellationToken).ConfigureAwait(false), await policies.AssignmentsAsync(cancellationToken).ConfigureAwait(false)));
    }
}

/// <summary><c>policy &lt;name&gt;</c> (admins): one policy, with an Edit dialog.</summary>
public sealed class PolicyCommand(AdminGate gate, PolicyStore policies, IOptions<CardOptions> cards) : IBotCommand
{
    public string Name => CommandNames.Policy;

    public string Usage => $"{CommandNames.Policy} *name*";

    public string Description => "Admins: show a policy and edit it.";

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await gate.RefuseUnlessAdminAsync(request, Name, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        var all = await policies.ListAsync(cancellationToken).ConfigureAwait(false);
        var policy = all.FirstOrDefault(p => string.Equals(p.Name, request.Arguments.Trim(), StringComparison.OrdinalIgnoreCase));
        if (policy is null)
        {
            return CommandReply.WithText($"There is no policy named '{CardText.Literal(request.Arguments, 80)}'. Policies: {string.Join(", ", all.Select(p => p.Name))}.");
        }

        var assignments = await policies.AssignmentsAsync(cancellationToken).ConfigureAwait(false);
        return CommandReply.WithCard(PolicyCards.Show(policy, assignments.GetValueOrDefault(policy.Name) ?? [], cards.Value.Buttons));
    }
}

/// <summary>
/// The policy editor (admins): every field is checked by Domain's <see cref="Policy.Problems"/>, each refusal is
/// explained in the dialog and audited, and an invalid policy is never saved.
/// </summary>
public sealed class PolicyDialog(PolicyStore policies, AccessControl access, IOptions<CardOptions> cards) : IDialog
{
    public string Name => DialogNames.Policy;

    public async Task<DialogAnswer> OpenAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = await access.PrincipalOfAsync(request.Actor, cancellationToken).ConfigureAwait(false);
        if (!who.IsAdmin)
        {
            await access.RefusedAsync(who, null, "EditPolicy", "Not a CredentialBot admin", null, cancellationToken).ConfigureAwait(false);
            return DialogAnswer.Close("Only CredentialBot admins can edit policies.");
        }

        return await FindAsync(request.Data.Subject, cancellationToken).ConfigureAwait(false) is { } policy
            ? DialogAnswer.Show("Edit policy", PolicyCards.Edit(policy))
            : DialogAnswer.Close("That policy no longer exists.");
    }

    public async Task<DialogAnswer> SubmitAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = await access.PrincipalOfAsync(request.Actor, cancellationToken).ConfigureAwait(false);
        if (!who.IsAdmin)
        {
            await access.RefusedAsync(who, null, "EditPolicy", "Not a CredentialBot admin", null, cancellationToken).ConfigureAwait(false);
            return DialogAnswer.Close("Only CredentialBot admins can edit policies; nothing was changed.");
        }

        if (await FindAsync(request.Data.Subject, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return DialogAnswer.Close("That policy no longer exists.");
        }

        var problems = new List<string>();
        int Whole(string id, string label)
        {
            if (int.TryParse(request.Input(id), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            problems.Add($"{label} must be a whole number.");
            return 0;
        }

        var stagesText = request.Input("stages") ?? string.Empty;
        var stages = new List<int>();
        foreach (var part in stagesText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
            {
                stages.Add(days);
            }
            else
            {
                problems.Add($"'{part}' is not a number of days; write the stages like 30,14,7,1.");
            }
        }

        var hours = double.TryParse(request.Input("maxElevationHours"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var h) ? h : -1;
        if (hours < 0)
        {
            problems.Add("The maximum elevation must be a number of hours.");
        }

        var edited = current with
        {
            ExpiryStagesDays = [.. stages.OrderDescending()],
            MinimumEntraOwners = Whole("minEntra", "The minimum of Entra owners"),
            MinimumTechnicalOwners = Whole("minTechnical", "The minimum of technical owners"),
            MinimumBusinessOwners = Whole("minBusiness", "The minimum of business owners"),
            MaximumSecretLifetime = TimeSpan.FromDays(Whole("maxLifetimeDays", "The maximum secret lifetime")),
            RotationGracePeriod = TimeSpan.FromDays(Whole("graceDays", "The rotation grace period")),
            Elevation = new ElevationSettings(request.Input("justification") == "true", request.Input("ticket") == "true", TimeSpan.FromHours(Math.Max(0, Math.Min(hours, 24 * 30))), request.Input("approval") == "true"),
            ApprovalChannelId = request.Input("channel") is { Length: > 0 } channel ? channel : null,
        };
        problems.AddRange(edited.Problems());
        if (problems.Count > 0)
        {
            await access.RefusedAsync(who, null, "EditPolicy", $"{current.Name}: {string.Join(" ", problems)}", null, cancellationToken).ConfigureAwait(false);
            return DialogAnswer.Show("Edit policy", PolicyCards.Edit(current, problems));
        }

        await policies.SaveAsync(edited, cancellationToken).ConfigureAwait(false);
        await access.AuditAsync(who, null, "EditPolicy", "Succeeded", $"{current.Name}: stages {string.Join("/", edited.ExpiryStagesDays)}, owners {edited.MinimumEntraOwners}/{edited.MinimumTechnicalOwners}/{edited.MinimumBusinessOwners}, lifetime {edited.MaximumSecretLifetime.TotalDays:0} d, grace {edited.RotationGracePeriod.TotalDays:0} d, elevation {ElevationRules.Describe(edited.Elevation.MaximumDuration)}", null, cancellationToken).ConfigureAwait(false);
        var assignments = await policies.AssignmentsAsync(cancellationToken).ConfigureAwait(false);
        return DialogAnswer.Show("Policy saved", PolicyCards.Show(edited, assignments.GetValueOrDefault(edited.Name) ?? [], cards.Value.Buttons, $"Saved by {CardText.Literal(who.DisplayName ?? "an admin", 60)}."));
    }

    private async Task<Policy?> FindAsync(string? name, CancellationToken cancellationToken) =>
        (await policies.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}
