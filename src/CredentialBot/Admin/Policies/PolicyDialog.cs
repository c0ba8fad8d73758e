using System.Globalization;
using CredentialBot.Domain;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Access.Scopes;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Admin.Policies;

/// <summary>
/// The policy editor (admins): every field is checked by Domain's <see cref="Policy.Problems"/>, each refusal is
/// explained in the dialog and audited, and an invalid policy is never saved. Saving is one-shot: the form's confirm id
/// is consumed in the save's transaction, so a second press of the same form saves nothing and says who saved when.
/// A scoped admin may open and save only a policy assigned inside their scopes (<see cref="ScopedPolicies"/>): the
/// dialog's data is untrusted, so both steps check again, and a refusal is audited.
/// </summary>
public sealed class PolicyDialog(PolicyStore policies, AuditTrail audit, IOptions<CardOptions> cards, AdminScopeResolver scopes, ScopedPolicies scoped) : IDialog
{
    public static string Name => DialogNames.Policy;

    /// <summary>A policy is not an App: the data's <c>app</c> slot holds <see cref="PolicyCards.DialogApp"/>.</summary>
    public static bool ActsOnAnApp => false;

    public async Task<DialogAnswer> OpenAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await RefusalAsync(request, cancellationToken) is { } refusal)
        {
            return DialogAnswer.Close(refusal);
        }

        return await FindAsync(request.Data.Subject, cancellationToken) is { } policy
            ? DialogAnswer.Show("Edit policy", PolicyCards.Edit(policy, confirmId: CardParts.NewConfirmId()))
            : DialogAnswer.Close("That policy no longer exists.");
    }

    public async Task<DialogAnswer> SubmitAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = request.Who;
        if (await RefusalAsync(request, cancellationToken) is { } refusal)
        {
            return DialogAnswer.Close($"{refusal} Nothing was changed.");
        }

        if (await FindAsync(request.Data.Subject, cancellationToken) is not { } current)
        {
            return DialogAnswer.Close("That policy no longer exists.");
        }

        var problems = new List<string>();
        int Whole(string id, string label)
        {
            // Bounded here so that a forged number too large for a TimeSpan is a problem to show, not an exception.
            if (int.TryParse(request.Input(id), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && Math.Abs(value) <= 100_000)
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

        // Hands-free rotation is off while its days are empty (or 0); on, both numbers are checked by the policy's rules.
        var automaticDays = request.Input("autoRotateDays");
        var automatic = string.IsNullOrWhiteSpace(automaticDays) || automaticDays.Trim() == "0"
            ? (AutomaticRotation?)null
            : new AutomaticRotation(Whole("autoRotateDays", "The days before expiry to rotate automatically"), Whole("autoRotateUseDays", "The days the new credential has to be used"));
        var edited = current with
        {
            ExpiryStagesDays = [.. stages.OrderDescending()],
            MinimumEntraOwners = Whole("minEntra", "The minimum of Entra owners"),
            MinimumTechnicalOwners = Whole("minTechnical", "The minimum of technical owners"),
            MinimumBusinessOwners = Whole("minBusiness", "The minimum of business owners"),
            MaximumSecretLifetime = TimeSpan.FromDays(Whole("maxLifetimeDays", "The maximum secret lifetime")),
            RotationGracePeriod = TimeSpan.FromDays(Whole("graceDays", "The rotation grace period")),
            OwnerReplacementGracePeriod = TimeSpan.FromDays(Whole("replaceOwnerDays", "The time to replace an owner who left")),
            Elevation = new ElevationSettings(request.Input("justification") == "true", request.Input("ticket") == "true", TimeSpan.FromHours(Math.Max(0, Math.Min(hours, 24 * 30))), request.Input("approval") == "true"),
            ApprovalChannelId = request.Input("channel") is { Length: > 0 } channel ? channel : null,
            AutomaticRotation = automatic,
        };
        problems.AddRange(edited.Problems());
        if (problems.Count > 0)
        {
            await audit.RefusedAsync(who, null, AuditOperation.EditPolicy, $"{current.Name}: {string.Join(" ", problems)}", cancellationToken);
            return DialogAnswer.Show("Edit policy", PolicyCards.Edit(current, problems, request.Data.Confirm));
        }

        if (await audit.ConfirmOnceAsync(who, null, AuditOperation.EditPolicy, request.Data.Confirm, cancellationToken) is { } again)
        {
            return DialogAnswer.Close(again);
        }

        await policies.SaveAsync(edited, cancellationToken);
        await audit.RecordAsync(who, null, AuditOperation.EditPolicy, AuditOutcome.Succeeded, $"{current.Name}: stages {string.Join("/", edited.ExpiryStagesDays)}, owners {edited.MinimumEntraOwners}/{edited.MinimumTechnicalOwners}/{edited.MinimumBusinessOwners}, lifetime {edited.MaximumSecretLifetime.TotalDays:0} d, grace {edited.RotationGracePeriod.TotalDays:0} d, owner replacement {edited.OwnerReplacementGracePeriod.TotalDays:0} d, elevation {ElevationRules.Describe(edited.Elevation.MaximumDuration)}, automatic rotation {PolicyCards.DescribeAutomaticRotation(edited)}", cancellationToken);
        var assignments = await policies.AssignmentsAsync(cancellationToken);
        return DialogAnswer.Show("Policy saved", PolicyCards.Show(edited, assignments.GetValueOrDefault(edited.Name) ?? [], cards.Value.Buttons, $"Saved by {CardText.Literal(who.DisplayName ?? "an admin", 60)}."));
    }

    /// <summary>Why the person may not edit the dialog's policy (audited here), or null for an admin or a scoped admin who may.</summary>
    private async Task<string?> RefusalAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        var who = request.Who;
        if (who.IsAdmin)
        {
            return null;
        }

        var mine = await scopes.ScopesOfAsync(who, cancellationToken);
        if (mine.Count == 0)
        {
            await audit.RefusedAsync(who, null, AuditOperation.EditPolicy, AdminGate.NotAnAdmin, cancellationToken);
            return "Only CredentialBot admins can edit policies.";
        }

        var name = request.Data.Subject ?? string.Empty;
        if (await scoped.EditRefusalAsync(mine, name, cancellationToken) is not { } refusal)
        {
            return null;
        }

        await audit.RefusedAsync(who, null, AuditOperation.EditPolicy, $"Scoped admin: {refusal}", cancellationToken);
        return refusal;
    }

    private async Task<Policy?> FindAsync(string? name, CancellationToken cancellationToken) =>
        (await policies.ListAsync(cancellationToken)).FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}
