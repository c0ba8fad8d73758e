using CredentialBot.Domain;
using CredentialBot.Ownership;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Messaging;
using CredentialBot.Status;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.AppRequests;

/// <summary>
/// What approving a request for a new app does, once (the decision has committed; only its one winner gets here):
/// Graph creates the App and its service principal with the bot and the technical owners as Entra owners
/// (<see cref="ITenantAdministration.CreateApplicationAsync"/>); then, in one audited change, the App enters the store
/// as a scan would see it, the technical owners (with ManageCredentials) and the business owner are recorded, the
/// policy is assigned to it and the request is marked created. The requester gets the App's status card with
/// <b>Rotate now</b> for its first secret.
/// <para>
/// Graph failing part-way: an App that Entra created is always kept and recorded, with each step Entra refused (an
/// owner it would not add, the service principal) named on the request, the cards and in the audit event; an App
/// Entra did not create marks the request failed with the reason (a missing permission is named). When Graph does not
/// answer at all the request is marked failed and says the App may exist, to be checked in Entra before asking again.
/// </para>
/// </summary>
public sealed partial class AppRegistrationCreation(
    ITenantAdministration administration,
    AppRegistrationRequestStore requests,
    AppCatalog catalog,
    OwnershipStore ownership,
    PolicyStore policies,
    AccessControl access,
    StatusCards statusCards,
    AuditTrail audit,
    Messenger messenger,
    NewOwnerNotices newOwners,
    IOptions<AppRequestsOptions> options,
    TimeProvider time,
    ILogger<AppRegistrationCreation> logger)
{
    public async Task<AppCreationOutcome> CreateAsync(AppRegistrationRequest approved, Principal approver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approved);
        ArgumentNullException.ThrowIfNull(approver);
        var name = approved.DisplayName.Trim();
        var readStartedAt = time.GetUtcNow();
        DirectoryResult<CreatedApplication> result;
        try
        {
            result = await administration.CreateApplicationAsync(Describe(approved, approver), cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or ODataError || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogGraphFailed(logger, approved.Id, ex);
            return await FailAsync(approved, approver, $"Microsoft Graph did not answer while the app was being created, so it may or may not exist: look for an app registration named '{name}' in Entra before asking again.", cancellationToken);
        }

        if (result.Value is not { } created)
        {
            return await FailAsync(approved, approver, $"Entra did not create it. {result.Refusal!.Reason}", cancellationToken);
        }

        var app = created.App;
        var notDone = created.NotDone.Select(r => r.Reason).ToList();
        await audit.BeginChangeAsync(cancellationToken);
        await catalog.UpsertSnapshotAsync([app], readStartedAt, cancellationToken);
        foreach (var person in approved.TechnicalOwners)
        {
            await ownership.AddOwnerAsync(app.ObjectId, new Owner(OwnerKind.Technical, person.ObjectId, person.DisplayName, person.UserPrincipalName, true, false, CanManageCredentials: true), cancellationToken);
        }

        var business = approved.BusinessOwner;
        await ownership.AddOwnerAsync(app.ObjectId, new Owner(OwnerKind.Business, business.ObjectId, business.DisplayName, business.UserPrincipalName, true, false, false), cancellationToken);
        try
        {
            await policies.AssignAsync(approved.PolicyName, AssignmentTarget.App, app.ObjectId, cancellationToken);
        }
        catch (KeyNotFoundException)
        {
            notDone.Add($"Policy {approved.PolicyName} no longer exists, so the default policy for app registrations applies.");
        }

        var outcome = notDone.Count == 0 ? null : string.Join(" ", notDone);
        await requests.RecordOutcomeAsync(approved.Id, AppRegistrationRequestStatus.Created, app.ObjectId, outcome, cancellationToken);
        await audit.RecordAsync(
            approver,
            app.ObjectId,
            AuditOperation.CreateApp,
            AuditOutcome.Succeeded,
            $"App request {approved.Id}: created '{app.DisplayName}' (appId {app.AppId}, service principal {created.ServicePrincipalObjectId ?? "not created"}); technical owners {string.Join(", ", approved.TechnicalOwners.Select(p => p.DisplayName))}; business owner {business.DisplayName}; policy {approved.PolicyName}.{(outcome is null ? string.Empty : " Not done: " + outcome)}",
            approved.Ticket,
            cancellationToken);
        await audit.CommitChangeAsync(cancellationToken);
        LogCreated(logger, approved.Id, app.ObjectId, notDone.Count);

        var stored = await catalog.GetAsync(app.ObjectId, cancellationToken) ?? app;
        var requester = new Principal(approved.RequesterObjectId, approved.RequesterName, await access.IsAdminAsync(approved.RequesterObjectId, cancellationToken));
        var banner = $"Your app registration was approved by {CardText.Literal(approver.DisplayName ?? "an admin", 60)} and created. Its technical owners can create its first secret with Rotate now."
            + (outcome is null ? string.Empty : $" Not done: {CardText.Literal(outcome, 600)}");
        var card = await statusCards.ForViewerAsync(stored, requester, banner, cancellationToken);
        await messenger.SendToPersonAsync(approved.RequesterObjectId, card, $"Your app registration {name} was created", cancellationToken);
        await TellOwnersAsync(approved, stored, approver, cancellationToken);

        var done = approved with { Status = AppRegistrationRequestStatus.Created, CreatedAppObjectId = app.ObjectId, Outcome = outcome };
        return new AppCreationOutcome(done, $"Created '{app.DisplayName}' (appId {app.AppId}); the requester got its status card." + (outcome is null ? string.Empty : $" Not done: {outcome}"));
    }

    /// <summary>
    /// The people the request named learn they are accountable for the new app, each once (the requester has its status
    /// card already; someone named as technical and business owner gets the technical owner's card).
    /// </summary>
    private async Task TellOwnersAsync(AppRegistrationRequest approved, App app, Principal approver, CancellationToken cancellationToken)
    {
        var how = $"Named in {approved.RequesterName ?? "a colleague"}'s request for this app registration, approved";
        var named = approved.TechnicalOwners.Select(p => (Person: p, Kind: OwnerKind.Technical, ManageCredentials: true))
            .Append((Person: approved.BusinessOwner, Kind: OwnerKind.Business, ManageCredentials: false))
            .Where(n => !string.Equals(n.Person.ObjectId, approved.RequesterObjectId, StringComparison.Ordinal))
            .DistinctBy(n => n.Person.ObjectId, StringComparer.Ordinal);
        foreach (var (person, kind, manageCredentials) in named)
        {
            await newOwners.TellAsync(app, kind, person.ObjectId, manageCredentials, approver, how, cancellationToken);
        }
    }

    private NewApplication Describe(AppRegistrationRequest approved, Principal approver)
    {
        var ticket = approved.Ticket is { } t ? $"; ticket {t}" : string.Empty;
        return new NewApplication(
            approved.DisplayName.Trim(),
            options.Value.ManagingServicePrincipalId ?? string.Empty,
            [.. approved.TechnicalOwners.Select(p => p.ObjectId)],
            approved.Purpose,
            $"{AppRegistrationRules.Describe(approved.Type)}. Requested in Teams by {approved.RequesterName ?? approved.RequesterObjectId} (CredentialBot request {approved.Id}{ticket}); business owner {approved.BusinessOwner.DisplayName}; approved by {approver.DisplayName ?? approver.ObjectId}.");
    }

    private async Task<AppCreationOutcome> FailAsync(AppRegistrationRequest approved, Principal approver, string reason, CancellationToken cancellationToken)
    {
        await audit.BeginChangeAsync(cancellationToken);
        await requests.RecordOutcomeAsync(approved.Id, AppRegistrationRequestStatus.Failed, null, reason, cancellationToken);
        await audit.RecordAsync(approver, null, AuditOperation.CreateApp, AuditOutcome.Failed, $"App request {approved.Id}: '{approved.DisplayName}' not created. {reason}", approved.Ticket, cancellationToken);
        await audit.CommitChangeAsync(cancellationToken);
        LogNotCreated(logger, approved.Id);

        var text = $"Your request for a new app registration '{approved.DisplayName}' was approved by {approver.DisplayName ?? "an admin"}, but the app was not created: {reason}";
        await messenger.SendToPersonAsync(approved.RequesterObjectId, NoticeCard.Build("App not created", CardText.Literal(text, 900), Urgency.Critical), text, cancellationToken);
        return new AppCreationOutcome(approved with { Status = AppRegistrationRequestStatus.Failed, Outcome = reason }, $"Approved, but the app was not created: {reason}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "App request {Request}: created {App}; {NotDone} step(s) not done")]
    private static partial void LogCreated(ILogger logger, long request, string app, int notDone);

    [LoggerMessage(Level = LogLevel.Warning, Message = "App request {Request}: Entra did not create the app")]
    private static partial void LogNotCreated(ILogger logger, long request);

    [LoggerMessage(Level = LogLevel.Warning, Message = "App request {Request}: Microsoft Graph failed while creating the app")]
    private static partial void LogGraphFailed(ILogger logger, long request, Exception exception);
}
