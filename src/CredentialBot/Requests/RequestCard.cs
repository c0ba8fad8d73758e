using System.Text.Json;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;

namespace CredentialBot.Requests;

/// <summary>
/// An approval card for an elevation or owner change. Approve and Deny are Action.Execute buttons shown while the
/// request is pending; the card refreshes itself for the approvers listed in <c>refresh.userIds</c>, and is redrawn
/// for everyone after the decision, so every copy shows who decided and when.
/// </summary>
public static class RequestCard
{
    public static AdaptiveCard Build(AccessRequest request, App app, DateTimeOffset now, IReadOnlyList<string> approverUserIds, string? notice = null, Grant? grant = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(app);
        var data = JsonSerializer.SerializeToElement(new RequestActionData(request.Id), CardDataJson.Default.RequestActionData);
        var status = request.StatusAt(now);
        var body = new List<CardElement> { CardParts.Heading(Title(request, app)) };
        if (notice is not null)
        {
            body.Add(CardParts.Text(CardText.Literal(notice, 400), Urgency.Critical));
        }

        var facts = new List<(string, string)>
        {
            ("App", $"{CardText.Literal(app.DisplayName, 80)} ({CardText.Literal(app.AppId)})"),
            ("Requested by", CardText.Literal(request.RequesterName ?? request.RequesterObjectId, 80)),
        };
        if (request.Kind == AccessRequestKind.Elevation)
        {
            facts.Add(("Right", request.Right == AppRight.ManageOwners ? "Manage owners" : "Rotate secrets and certificates"));
            facts.Add(("Duration", ElevationRules.Describe(request.Duration ?? TimeSpan.Zero)));
        }
        else if (request.Change is { } change)
        {
            facts.Add(("Person", $"{CardText.Literal(change.PersonName, 80)} ({CardText.Literal(change.PersonUpn ?? change.PersonObjectId, 80)})"));
            facts.Add(("As", OwnerKindTitle(change)));
            if (change.ReplacesObjectId is { } replaced)
            {
                facts.Add(("Replaces", CardText.Literal(app.Owners.FirstOrDefault(o => o.ObjectId == replaced)?.DisplayName ?? replaced, 80)));
            }
        }

        facts.Add(("Justification", string.IsNullOrWhiteSpace(request.Justification) ? "none given" : CardText.Literal(request.Justification, 500)));
        if (!string.IsNullOrWhiteSpace(request.Ticket))
        {
            facts.Add(("Ticket", CardText.Literal(request.Ticket, 64)));
        }

        facts.Add(("Requested", $"{request.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC"));
        facts.Add(("Status", StatusText(request, status, grant)));
        body.Add(CardParts.Facts([.. facts]));

        var actions = status == AccessRequestStatus.Pending
            ? new CardAction[]
            {
                new ActionExecute { Title = "Approve", Verb = CardVerbs.ApproveRequest, Data = data, Style = "positive" },
                new ActionExecute { Title = "Deny", Verb = CardVerbs.DenyRequest, Data = data, Style = "destructive" },
            }
            : [];
        return CardParts.Card(body, actions) with
        {
            Refresh = new CardRefresh { Action = new ActionExecute { Verb = CardVerbs.ViewRequest, Data = data }, UserIds = approverUserIds },
        };
    }

    public static string Title(AccessRequest request, App app)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(app);
        var who = CardText.Literal(request.RequesterName ?? "Someone", 60);
        var name = CardText.Literal(app.DisplayName, 60);
        return request.Kind switch
        {
            AccessRequestKind.Elevation => $"{who} asks to {(request.Right == AppRight.ManageOwners ? "manage the owners of" : "rotate the credentials of")} {name} for {ElevationRules.Describe(request.Duration ?? TimeSpan.Zero)}",
            AccessRequestKind.TransferOwnership => $"{who} asks to transfer ownership of {name} to {CardText.Literal(request.Change?.PersonName, 60)}",
            _ => $"{who} asks to add {CardText.Literal(request.Change?.PersonName, 60)} as an owner of {name}",
        };
    }

    public static string OwnerKindTitle(OwnerChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Kind switch
        {
            OwnerKind.Technical when change.ManageCredentials => "Technical owner who can rotate",
            OwnerKind.Technical => "Technical owner",
            OwnerKind.Business => "Business owner",
            _ => "Entra owner",
        };
    }

    private static string StatusText(AccessRequest request, AccessRequestStatus status, Grant? grant) => status switch
    {
        AccessRequestStatus.Pending => $"Waiting for an owner or an admin (until {request.DecideBy.UtcDateTime:yyyy-MM-dd HH:mm} UTC)",
        AccessRequestStatus.Approved => $"Approved by {CardText.Literal(request.DecidedByName ?? "an approver", 60)} at {request.DecidedAt?.UtcDateTime:yyyy-MM-dd HH:mm} UTC"
            + (grant is null ? string.Empty : $"; ends {grant.EndsAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC"),
        AccessRequestStatus.Denied => $"Denied by {CardText.Literal(request.DecidedByName ?? "an approver", 60)} at {request.DecidedAt?.UtcDateTime:yyyy-MM-dd HH:mm} UTC",
        _ => "Expired: nobody decided in time",
    };
}
