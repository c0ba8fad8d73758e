using CredentialBot.Domain;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using DomainApp = CredentialBot.Domain.App;

namespace CredentialBot.Directory;

/// <summary>
/// App registrations created on a person's behalf: <c>POST /applications</c>, the bot's own service principal made an
/// owner through <c>owners/$ref</c>, <c>POST /servicePrincipals</c>, then the people as owners.
/// <para>
/// Permissions: creating needs <c>Application.ReadWrite.OwnedBy</c> at least among those the bot holds
/// (learn.microsoft.com/graph/api/application-post-applications lists AppRegistration.Create, then
/// Application.ReadWrite.OwnedBy and Application.ReadWrite.All), whose consent text reads "Allows the app to create other
/// applications, and fully manage those applications … It cannot update any apps that it is not an owner of"
/// (display name "Manage apps that this app creates or owns"). Graph's pages do not say in so many words that the creator
/// becomes an owner, so the bot adds itself explicitly and takes "already exist" as done. Adding people is another
/// matter: "Application.ReadWrite.OwnedBy isn't sufficient to add another owner. Consent also to
/// Application.ReadWrite.All" (learn.microsoft.com/graph/api/application-post-owners); without it the App is still
/// created, owned by the bot, and the owners not added are reported.
/// </para>
/// </summary>
internal sealed class ApplicationRegistrations(GraphServiceClient graph)
{
    internal const string CreatePermission = "Application.ReadWrite.OwnedBy";
    internal const string AddOwnerPermission = "Application.ReadWrite.All";

    /// <summary>Single tenant: "AzureADMyOrg: Users with a Microsoft work or school account in my organization's Microsoft Entra tenant".</summary>
    private const string SingleTenant = "AzureADMyOrg";

    public async Task<DirectoryResult<CreatedApplication>> CreateAsync(NewApplication request, Func<string, CancellationToken, Task<DomainApp?>> readBack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Problems() is { Count: > 0 } problems)
        {
            return new DirectoryResult<CreatedApplication>(new DirectoryRefusal(DirectoryRefusalKind.Invalid, string.Join(' ', problems)));
        }

        Application created;
        try
        {
            created = await graph.Applications.PostAsync(
                new Application
                {
                    DisplayName = request.DisplayName.Trim(),
                    Description = request.Description,
                    Notes = request.Notes,
                    SignInAudience = SingleTenant,
                    Tags = [.. request.Tags ?? []],
                },
                GraphRequests.HighPriority,
                cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("Graph created an application but did not return it.");
        }
        catch (ODataError error)
        {
            return new DirectoryResult<CreatedApplication>(GraphRefusals.From(error, $"create the app registration '{request.DisplayName.Trim()}'", CreatePermission));
        }

        var objectId = created.Id!;
        var notDone = new List<DirectoryRefusal>();

        // The bot first, so that from here on Application.ReadWrite.OwnedBy covers this App.
        if (await AddOwnerAsync(objectId, request.ManagingServicePrincipalId, "make CredentialBot an owner of the new app", CreatePermission, cancellationToken).ConfigureAwait(false) is { } selfRefusal)
        {
            notDone.Add(selfRefusal);
        }

        string? servicePrincipalId = null;
        try
        {
            var servicePrincipal = await graph.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = created.AppId }, GraphRequests.HighPriority, cancellationToken).ConfigureAwait(false);
            servicePrincipalId = servicePrincipal?.Id;
        }
        catch (ODataError error)
        {
            notDone.Add(GraphRefusals.From(error, "create the new app's service principal (enterprise application)", CreatePermission));
        }

        foreach (var owner in request.OwnerObjectIds.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (await AddOwnerAsync(objectId, owner, $"make {owner} an owner of the new app", AddOwnerPermission, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                notDone.Add(refusal);
            }
        }

        // Read back as a scan reads Apps, owners included. Entra replicates a new object within moments; until it does a
        // read may miss it, and the App is then described from what creation returned (no owners yet, no credentials).
        var app = await readBack(objectId, cancellationToken).ConfigureAwait(false)
            ?? new DomainApp(objectId, created.AppId ?? string.Empty, created.DisplayName ?? request.DisplayName.Trim(), AppKind.Application, [], [], [.. created.Tags ?? []]);
        return new DirectoryResult<CreatedApplication>(new CreatedApplication(app, servicePrincipalId, notDone));
    }

    /// <summary>Adds an owner; null when done or already one, otherwise why not.</summary>
    private async Task<DirectoryRefusal?> AddOwnerAsync(string objectId, string ownerId, string what, string permission, CancellationToken cancellationToken)
    {
        try
        {
            await graph.Applications[objectId].Owners.Ref.PostAsync(
                new ReferenceCreate { OdataId = $"https://graph.microsoft.com/v1.0/directoryObjects/{Uri.EscapeDataString(ownerId)}" },
                GraphRequests.HighPriority,
                cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ODataError error) when (error.ResponseStatusCode == 400 && error.Error?.Message?.Contains("already exist", StringComparison.OrdinalIgnoreCase) == true)
        {
            // "One or more added object references already exist": the creator was made an owner by Graph itself.
            return null;
        }
        catch (ODataError error)
        {
            return GraphRefusals.From(error, what, permission);
        }
    }

}
