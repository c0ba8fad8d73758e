using CredentialBot.Domain;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.AppRequests;

/// <summary>
/// The request form for a new app registration. On submit every field is checked — the name's length and characters,
/// the purpose, the kind, the people (each resolved in the directory, unknown or disabled people refused), the policy
/// (it must exist) and the ticket — and the form comes back with each problem, audited; a valid request goes to the
/// admins (<see cref="AppRequestApprovals"/>), once per form.
/// </summary>
public sealed class AppRequestDialog(
    IOptions<AppRequestsOptions> options,
    PolicyStore policies,
    ITenantDirectory directory,
    AppRequestApprovals approvals,
    AuditTrail audit,
    TimeProvider time) : IDialog
{
    private const string Title = "Request a new app registration";

    public static string Name => DialogNames.RequestApp;

    /// <summary>The App does not exist yet: the data's <c>app</c> slot holds <see cref="AppRequestCards.DialogApp"/>.</summary>
    public static bool ActsOnAnApp => false;

    public async Task<DialogAnswer> OpenAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!options.Value.Enabled)
        {
            return DialogAnswer.Close(RequestAppCommand.TurnedOff, "Requesting apps is turned off");
        }

        return DialogAnswer.Show(Title, AppRequestCards.Form(AppRequestInput.Empty, await PolicyNamesAsync(cancellationToken), CardParts.NewConfirmId()));
    }

    public async Task<DialogAnswer> SubmitAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = request.Who;
        if (!options.Value.Enabled)
        {
            await audit.RefusedAsync(who, null, AuditOperation.RequestApp, "Requesting apps is turned off", cancellationToken);
            return DialogAnswer.Close(RequestAppCommand.TurnedOff, "Requesting apps is turned off");
        }

        var input = AppRequestInput.From(request);
        var technicalAsked = AppRegistrationRules.SplitPeople(input.TechnicalOwners);
        var problems = new List<string>(AppRegistrationRules.Problems(input.Name, input.Purpose, input.Type, technicalAsked.Count, !string.IsNullOrWhiteSpace(input.BusinessOwner), input.Ticket));
        var policyNames = await PolicyNamesAsync(cancellationToken);
        var policy = policyNames.FirstOrDefault(p => string.Equals(p, input.Policy, StringComparison.OrdinalIgnoreCase));
        if (policy is null)
        {
            problems.Add(string.IsNullOrWhiteSpace(input.Policy) ? "Choose the policy the app should follow." : $"There is no policy named '{CardText.Literal(input.Policy, 80)}'. Policies: {string.Join(", ", policyNames)}.");
        }

        // People are looked up only when the list is within bounds, so a pasted roster never becomes a burst of Graph reads.
        var technical = new List<RequestedPerson>();
        RequestedPerson? business = null;
        if (technicalAsked.Count is > 0 and <= AppRegistrationRules.MaxTechnicalOwners)
        {
            foreach (var asked in technicalAsked)
            {
                if (await ResolveAsync(asked, problems, cancellationToken) is { } person && technical.All(p => p.ObjectId != person.ObjectId))
                {
                    technical.Add(person);
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(input.BusinessOwner))
        {
            business = await ResolveAsync(input.BusinessOwner, problems, cancellationToken);
        }

        if (problems.Count > 0 || business is null || policy is null || AppRegistrationRules.ParseType(input.Type) is not { } type)
        {
            await audit.RecordAsync(who, null, AuditOperation.RequestApp, AuditOutcome.Refused, string.Join(" ", problems), input.Ticket is { Length: <= AppRegistrationRules.MaxTicketLength } ? input.Ticket : null, cancellationToken);
            return DialogAnswer.Show(Title, AppRequestCards.Form(input, policyNames, request.Data.Confirm ?? CardParts.NewConfirmId(), problems));
        }

        var now = time.GetUtcNow();
        var draft = new AppRegistrationRequest(0, input.Name!.Trim(), input.Purpose!.Trim(), type, technical, business, policy, input.Ticket, who.ObjectId, who.DisplayName, AppRegistrationRequestStatus.Pending, now, now + AppRegistrationRequest.DecisionWindow);
        var sent = await approvals.SubmitAsync(draft, who, request.Data.Confirm, cancellationToken);
        return DialogAnswer.Close(sent, $"You asked for a new app registration: {draft.DisplayName}");
    }

    private async Task<RequestedPerson?> ResolveAsync(string asked, List<string> problems, CancellationToken cancellationToken)
    {
        var text = asked.Trim();
        if (text.Length > 256 || text.Any(char.IsControl))
        {
            problems.Add($"'{CardText.Literal(text, 60)}' is not a user principal name or email address.");
            return null;
        }

        var person = await directory.FindPersonAsync(text, cancellationToken);
        var check = OwnershipRules.CheckCandidate(person, CardText.Literal(text, 80));
        if (!check.Allowed)
        {
            problems.Add(check.Explanation);
            return null;
        }

        return RequestedPerson.From(person!);
    }

    private async Task<IReadOnlyList<string>> PolicyNamesAsync(CancellationToken cancellationToken) =>
        [.. (await policies.ListAsync(cancellationToken)).Select(p => p.Name)];
}
