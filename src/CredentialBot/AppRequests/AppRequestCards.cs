using System.Text.Json;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Dialogs;

namespace CredentialBot.AppRequests;

/// <summary>The request form, and the approval card admins decide on (Approve, Deny with a reason), redrawn after.</summary>
public static class AppRequestCards
{
    /// <summary>The dialog's "app" slot: a new app registration is not an App yet.</summary>
    public const string DialogApp = "new-app";

    public static DialogData Submit(string confirmId) => new(null, DialogNames.RequestApp, DialogApp, Confirm: confirmId);

    public static AdaptiveCard Form(AppRequestInput input, IReadOnlyList<string> policyNames, string confirmId, IReadOnlyList<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(policyNames);
        var body = new List<CardElement>
        {
            CardParts.Heading("Request a new app registration"),
            CardParts.Text("A CredentialBot admin approves it. CredentialBot then creates the app registration and its enterprise application, makes the technical owners its owners, records the business owner and applies the policy; you get its status card to create the first secret."),
        };
        body.AddRange(CardParts.Problems(problems));
        body.Add(new InputText { Id = "name", Label = "Name", Value = input.Name, MaxLength = AppRegistrationRules.MaxNameLength, IsRequired = true, Placeholder = "e.g. Invoice Reader", ErrorMessage = "Give the app a name." });
        body.Add(new InputText { Id = "purpose", Label = "Purpose and business justification", Value = input.Purpose, IsMultiline = true, MaxLength = AppRegistrationRules.MaxPurposeLength, IsRequired = true, ErrorMessage = "Say what the app is for." });
        body.Add(new InputChoiceSet
        {
            Id = "type",
            Label = "Kind of app",
            Style = "compact",
            Value = input.Type ?? nameof(AppRegistrationType.WebApi),
            Choices = [.. Enum.GetValues<AppRegistrationType>().Select(t => new Choice(AppRegistrationRules.Describe(t), t.ToString()))],
        });
        body.Add(new InputText { Id = "technicalOwners", Label = "Technical owners (user principal names or emails, comma-separated)", Value = input.TechnicalOwners, MaxLength = 2000, IsRequired = true, Placeholder = "you@contoso.com, colleague@contoso.com", ErrorMessage = "Name at least one technical owner." });
        body.Add(new InputText { Id = "businessOwner", Label = "Business owner", Value = input.BusinessOwner, MaxLength = 256, IsRequired = true, Placeholder = "manager@contoso.com", ErrorMessage = "Name the business owner." });
        body.Add(new InputChoiceSet
        {
            Id = "policy",
            Label = "Policy it should follow",
            Style = "compact",
            Value = input.Policy is { } chosen && policyNames.Contains(chosen, StringComparer.Ordinal) ? chosen : (policyNames.Count > 0 ? policyNames[0] : null),
            Choices = [.. policyNames.Select(p => new Choice(CardText.Literal(p, 80), p))],
        });
        body.Add(new InputText { Id = "ticket", Label = "Ticket number (optional)", Value = input.Ticket, MaxLength = AppRegistrationRules.MaxTicketLength });
        return CardParts.Card(body, [CardParts.SubmitDialog("Send for approval", Submit(confirmId), "positive")]);
    }

    /// <summary>
    /// The approval card. While pending it has a reason box and Approve / Deny; it refreshes itself for the admins listed
    /// in <paramref name="approverUserIds"/>, and is redrawn for everyone once decided.
    /// </summary>
    public static AdaptiveCard Approval(AppRegistrationRequest request, DateTimeOffset now, IReadOnlyList<string> warnings, IReadOnlyList<string> approverUserIds, string? notice = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(warnings);
        var data = JsonSerializer.SerializeToElement(new AppRequestActionData(request.Id), CardDataJson.Default.AppRequestActionData);
        var status = request.StatusAt(now);
        var body = new List<CardElement> { CardParts.Heading(Title(request)) };
        if (notice is not null)
        {
            body.Add(CardParts.Text(CardText.Literal(notice, 600), Urgency.Critical));
        }

        var facts = new List<(string, string)>
        {
            ("Name", CardText.Literal(request.DisplayName, AppRegistrationRules.MaxNameLength)),
            ("Kind", AppRegistrationRules.Describe(request.Type)),
            ("Purpose", CardText.Literal(request.Purpose, AppRegistrationRules.MaxPurposeLength)),
            ("Technical owners", string.Join(", ", request.TechnicalOwners.Select(Person))),
            ("Business owner", Person(request.BusinessOwner)),
            ("Policy", CardText.Literal(request.PolicyName, 80)),
            ("Requested by", CardText.Literal(request.RequesterName ?? request.RequesterObjectId, 80)),
        };
        if (!string.IsNullOrWhiteSpace(request.Ticket))
        {
            facts.Add(("Ticket", CardText.Literal(request.Ticket, AppRegistrationRules.MaxTicketLength)));
        }

        facts.Add(("Requested", CardText.DateTime(request.CreatedAt)));
        facts.Add(("Status", StatusText(request, status)));
        body.Add(CardParts.Facts([.. facts]));
        body.AddRange(warnings.Select(w => CardParts.Text("⚠ " + CardText.Literal(w, 300), Urgency.Warning)));

        CardAction[] actions = [];
        if (status == AppRegistrationRequestStatus.Pending)
        {
            body.Add(new InputText { Id = "reason", Label = "Reason (required to deny; the requester sees it)", IsMultiline = true, MaxLength = AppRegistrationRequest.MaxReasonLength });
            actions =
            [
                new ActionExecute { Title = "Approve and create", Verb = CardVerbs.ApproveAppRequest, Data = data, Style = "positive" },
                new ActionExecute { Title = "Deny", Verb = CardVerbs.DenyAppRequest, Data = data, Style = "destructive" },
            ];
        }

        return CardParts.Card(body, actions) with
        {
            Refresh = new CardRefresh { Action = new ActionExecute { Verb = CardVerbs.ViewAppRequest, Data = data }, UserIds = approverUserIds },
        };
    }

    /// <summary>"Alex Wilber asks for a new app registration: Invoice Reader".</summary>
    public static string Title(AppRegistrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{CardText.Literal(request.RequesterName ?? "Someone", 60)} asks for a new app registration: {CardText.Literal(request.DisplayName, 80)}";
    }

    private static string Person(RequestedPerson person) =>
        person.UserPrincipalName is { } upn ? $"{CardText.Literal(person.DisplayName, 60)} ({CardText.Literal(upn, 80)})" : CardText.Literal(person.DisplayName, 60);

    private static string StatusText(AppRegistrationRequest request, AppRegistrationRequestStatus status)
    {
        var by = CardText.Literal(request.DecidedByName ?? "an admin", 60);
        var at = request.DecidedAt is { } decided ? CardText.DateTime(decided) : string.Empty;
        return status switch
        {
            AppRegistrationRequestStatus.Pending => $"Waiting for a CredentialBot admin (until {CardText.DateTime(request.DecideBy)})",
            AppRegistrationRequestStatus.Approved => $"Approved by {by} at {at}; the app is being created. If this stays, creation was interrupted: look for the app in Entra before asking again.",
            AppRegistrationRequestStatus.Created => $"Approved by {by} at {at}; created" + (string.IsNullOrEmpty(request.Outcome) ? "." : $", but: {CardText.Literal(request.Outcome, 600)}"),
            AppRegistrationRequestStatus.Failed => $"Approved by {by} at {at}, but Entra did not create it: {CardText.Literal(request.Outcome, 600)}",
            AppRegistrationRequestStatus.Denied => $"Denied by {by} at {at}: {CardText.Literal(request.Reason, AppRegistrationRequest.MaxReasonLength)}",
            _ => "Expired: nobody decided in time",
        };
    }
}
