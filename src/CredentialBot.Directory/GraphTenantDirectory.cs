using System.Runtime.CompilerServices;
using CredentialBot.Domain;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Extensions.Logging;
using DomainApp = CredentialBot.Domain.App;
using Person = CredentialBot.Domain.Person;

namespace CredentialBot.Directory;

/// <summary>
/// The tenant through Microsoft Graph. Listings stream one page at a time and ask only for the properties the
/// product uses. Owners come with the page through <c>$expand</c> (which caps pages at 100 and owners at 20); an App
/// showing exactly 20 owners gets its full owner list paged separately. Retries on 429/503/504 honouring
/// Retry-After are the Graph SDK's own retry handler (bounded attempts).
/// </summary>
public sealed partial class GraphTenantDirectory(GraphServiceClient graph, ILogger<GraphTenantDirectory> logger) : ITenantDirectory
{
    /// <summary>
    /// Background scans ask Graph to throttle them before interactive traffic (Graph's prioritized throttling);
    /// lookups made while a person waits do not send it.
    /// </summary>
    private const string ThrottlePriorityHeader = "x-ms-throttle-priority";
    private const string LowPriority = "low";

    internal const int PageSize = 100;
    private const int ExpandedOwnerCap = 20;
    private static readonly string[] OwnerFields = ["id", "displayName", "userPrincipalName", "accountEnabled"];
    private static readonly string OwnersExpand = $"owners($select={string.Join(',', OwnerFields)})";
    private static readonly string[] ApplicationFields = ["id", "appId", "displayName", "tags", "passwordCredentials", "keyCredentials"];
    private static readonly string[] ServicePrincipalFields = ["id", "appId", "displayName", "tags", "servicePrincipalType", "preferredSingleSignOnMode", "passwordCredentials", "keyCredentials"];

    public async IAsyncEnumerable<DomainApp> GetApplicationsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = await graph.Applications.GetAsync(r =>
        {
            r.Headers.Add(ThrottlePriorityHeader, LowPriority);
            r.QueryParameters.Select = ApplicationFields;
            r.QueryParameters.Expand = [OwnersExpand];
            r.QueryParameters.Top = PageSize;
        }, cancellationToken).ConfigureAwait(false);

        while (page is not null)
        {
            foreach (var application in page.Value ?? [])
            {
                var owners = await CompleteOwnersAsync(application.Owners, AppKind.Application, application.Id!, cancellationToken).ConfigureAwait(false);
                yield return Map(application.Id!, application.AppId, application.DisplayName, AppKind.Application, application.Tags, application.PasswordCredentials, application.KeyCredentials, owners);
            }

            page = page.OdataNextLink is { } next
                ? await graph.Applications.WithUrl(next).GetAsync(r => r.Headers.Add(ThrottlePriorityHeader, LowPriority), cancellationToken).ConfigureAwait(false)
                : null;
        }
    }

    public async IAsyncEnumerable<DomainApp> GetServicePrincipalsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = await graph.ServicePrincipals.GetAsync(r =>
        {
            r.Headers.Add(ThrottlePriorityHeader, LowPriority);
            r.QueryParameters.Select = ServicePrincipalFields;
            r.QueryParameters.Expand = [OwnersExpand];
            r.QueryParameters.Top = PageSize;
        }, cancellationToken).ConfigureAwait(false);

        while (page is not null)
        {
            foreach (var servicePrincipal in page.Value ?? [])
            {
                // A tenant holds thousands of first-party service principals with nothing to rotate and nobody
                // accountable; only those with credentials or owners are CredentialBot's business.
                if ((servicePrincipal.PasswordCredentials?.Count ?? 0) + (servicePrincipal.KeyCredentials?.Count ?? 0) + (servicePrincipal.Owners?.Count ?? 0) == 0)
                {
                    continue;
                }

                var owners = await CompleteOwnersAsync(servicePrincipal.Owners, AppKind.ServicePrincipal, servicePrincipal.Id!, cancellationToken).ConfigureAwait(false);
                yield return Map(servicePrincipal.Id!, servicePrincipal.AppId, servicePrincipal.DisplayName, AppKind.ServicePrincipal, servicePrincipal.Tags, servicePrincipal.PasswordCredentials, servicePrincipal.KeyCredentials, owners);
            }

            page = page.OdataNextLink is { } next
                ? await graph.ServicePrincipals.WithUrl(next).GetAsync(r => r.Headers.Add(ThrottlePriorityHeader, LowPriority), cancellationToken).ConfigureAwait(false)
                : null;
        }
    }

    public async Task<Person?> FindPersonAsync(string idOrUpnOrMail, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idOrUpnOrMail);
        var key = idOrUpnOrMail.Trim();
        try
        {
            var user = await graph.Users[key].GetAsync(r => r.QueryParameters.Select = ["id", "displayName", "userPrincipalName", "mail", "accountEnabled"], cancellationToken).ConfigureAwait(false);
            if (user is not null)
            {
                return ToPerson(user);
            }
        }
        catch (ODataError error) when (error.ResponseStatusCode == 404)
        {
            // Not an id or UPN: an email address may still match below.
        }

        if (!key.Contains('@', StringComparison.Ordinal))
        {
            return null;
        }

        var byMail = await graph.Users.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"mail eq '{key.Replace("'", "''", StringComparison.Ordinal)}'";
            r.QueryParameters.Select = ["id", "displayName", "userPrincipalName", "mail", "accountEnabled"];
        }, cancellationToken).ConfigureAwait(false);
        return byMail?.Value is [var match, ..] ? ToPerson(match) : null;
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await graph.Applications.GetAsync(r =>
            {
                r.QueryParameters.Top = 1;
                r.QueryParameters.Select = ["id"];
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is ODataError or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogPingFailed(logger, ex);
            return false;
        }
    }

    /// <summary>
    /// <c>$expand</c> returns at most 20 owners and no link to the rest; when exactly 20 came back, the full list is
    /// paged from <c>/{collection}/{id}/owners</c>.
    /// </summary>
    private async Task<IReadOnlyList<DirectoryObject>> CompleteOwnersAsync(List<DirectoryObject>? expanded, AppKind kind, string objectId, CancellationToken cancellationToken)
    {
        if (expanded is null || expanded.Count < ExpandedOwnerCap)
        {
            return expanded ?? [];
        }

        LogPagingOwners(logger, objectId);
        var owners = new List<DirectoryObject>();
        var page = kind == AppKind.Application
            ? await graph.Applications[objectId].Owners.GetAsync(r => { r.Headers.Add(ThrottlePriorityHeader, LowPriority); r.QueryParameters.Select = OwnerFields; r.QueryParameters.Top = PageSize; }, cancellationToken).ConfigureAwait(false)
            : await graph.ServicePrincipals[objectId].Owners.GetAsync(r => { r.Headers.Add(ThrottlePriorityHeader, LowPriority); r.QueryParameters.Select = OwnerFields; r.QueryParameters.Top = PageSize; }, cancellationToken).ConfigureAwait(false);
        while (page is not null)
        {
            owners.AddRange(page.Value ?? []);
            page = page.OdataNextLink is { } next
                ? await graph.Applications[objectId].Owners.WithUrl(next).GetAsync(r => r.Headers.Add(ThrottlePriorityHeader, LowPriority), cancellationToken).ConfigureAwait(false)
                : null;
        }

        return owners;
    }

    private static DomainApp Map(
        string objectId,
        string? appId,
        string? displayName,
        AppKind kind,
        List<string>? tags,
        List<PasswordCredential>? secrets,
        List<KeyCredential>? certificates,
        IReadOnlyList<DirectoryObject> owners)
    {
        var credentials = new List<Credential>();
        foreach (var secret in secrets ?? [])
        {
            if (secret.EndDateTime is { } end)
            {
                credentials.Add(new Credential(secret.KeyId?.ToString() ?? string.Empty, CredentialKind.Secret, secret.DisplayName, secret.StartDateTime, end));
            }
        }

        // A SAML app's signing certificate appears as several key credentials (sign + verify) with one keyId each;
        // each is its own credential to track.
        foreach (var certificate in certificates ?? [])
        {
            if (certificate.EndDateTime is { } end)
            {
                credentials.Add(new Credential(certificate.KeyId?.ToString() ?? string.Empty, CredentialKind.Certificate, certificate.DisplayName, certificate.StartDateTime, end));
            }
        }

        var people = owners
            .OfType<User>()
            .Where(u => u.Id is not null)
            .Select(u => new Owner(OwnerKind.Entra, u.Id!, u.DisplayName ?? u.UserPrincipalName ?? u.Id!, u.UserPrincipalName, u.AccountEnabled ?? true, Deleted: false, CanManageCredentials: true))
            .ToList();
        return new DomainApp(objectId, appId ?? string.Empty, displayName ?? appId ?? objectId, kind, credentials, people, tags ?? []);
    }

    private static Person ToPerson(User user) =>
        new(user.Id!, user.DisplayName ?? user.UserPrincipalName ?? user.Id!, user.UserPrincipalName, user.Mail, user.AccountEnabled ?? true);

    [LoggerMessage(Level = LogLevel.Debug, Message = "App {ObjectId} has more owners than $expand returns; paging its owners")]
    private static partial void LogPagingOwners(ILogger logger, string objectId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The tenant directory did not answer a readiness probe")]
    private static partial void LogPingFailed(ILogger logger, Exception exception);
}
