using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Extensions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Graph.Core.Requests;
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
/// product uses. Owners come with the page through <c>$expand</c> (which caps pages at 100 and owners at 20); Apps
/// showing exactly 20 owners get their full owner lists in <c>$batch</c> requests while the next page is fetched.
/// Requests selecting <c>keyCredentials</c> are paced to Graph's cap by <see cref="KeyCredentialPacing"/>. Retries on 429/503/504 honouring
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
    internal static readonly string OwnersExpand = $"owners($select={string.Join(',', OwnerFields)})";
    private static readonly string[] ApplicationFields = ["id", "appId", "displayName", "tags", "passwordCredentials", "keyCredentials"];
    private static readonly string[] ServicePrincipalFields = ["id", "appId", "displayName", "tags", "servicePrincipalType", "preferredSingleSignOnMode", "passwordCredentials", "keyCredentials"];

    public IAsyncEnumerable<DomainApp> GetApplicationsAsync(CancellationToken cancellationToken = default) =>
        ListAsync(AppKind.Application, cancellationToken);

    public IAsyncEnumerable<DomainApp> GetServicePrincipalsAsync(CancellationToken cancellationToken = default) =>
        ListAsync(AppKind.ServicePrincipal, cancellationToken);

    /// <summary>
    /// The full listing, page by page. Requests go through the SDK's request adapter (authentication, retry on
    /// 429/503 with Retry-After, errors as <see cref="ODataError"/>), but each page is read with System.Text.Json
    /// straight into Domain types: the SDK's own model parsing cost 4.5 times the HTTP and JSON work in the scan
    /// benchmark (docs/benchmarks.md), and a scan reads every object in the tenant.
    /// </summary>
    private async IAsyncEnumerable<DomainApp> ListAsync(AppKind kind, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = kind == AppKind.Application
            ? graph.Applications.ToGetRequestInformation(r =>
            {
                r.Headers.Add(ThrottlePriorityHeader, LowPriority);
                r.QueryParameters.Select = ApplicationFields;
                r.QueryParameters.Expand = [OwnersExpand];
                r.QueryParameters.Top = PageSize;
            })
            : graph.ServicePrincipals.ToGetRequestInformation(r =>
            {
                r.Headers.Add(ThrottlePriorityHeader, LowPriority);
                r.QueryParameters.Select = ServicePrincipalFields;
                r.QueryParameters.Expand = [OwnersExpand];
                r.QueryParameters.Top = PageSize;
            });

        var pending = ReadPageAsync(request, kind, cancellationToken);
        try
        {
            while (pending is not null)
            {
                var (page, next) = await pending.ConfigureAwait(false);
                // The next page is on its way while this one's capped owners are fetched and its Apps are consumed:
                // with Graph's latency, paging is a chain of round trips, and nothing else should wait in it.
                pending = next is null ? null : ReadPageAsync(NextPage(next), kind, cancellationToken);
                // $expand returns at most 20 owners and no link to the rest: where 20 came back, the page's full owner
                // lists come in $batch requests of 20.
                var capped = page.Where(p => p.OwnersCapped).Select(p => p.App.ObjectId).ToList();
                if (capped.Count > 0)
                {
                    LogPagingOwners(logger, capped.Count);
                }

                var fullOwners = capped.Count == 0 ? null : await OwnersOfAsync(kind, capped, cancellationToken).ConfigureAwait(false);
                foreach (var (app, ownersCapped) in page)
                {
                    // A tenant holds thousands of first-party service principals with nothing to rotate and nobody
                    // accountable; only those with credentials or owners are CredentialBot's business.
                    if (kind == AppKind.ServicePrincipal && app.Credentials.Count == 0 && app.Owners.Count == 0 && !ownersCapped)
                    {
                        continue;
                    }

                    yield return ownersCapped && fullOwners is not null
                        ? app with { Owners = MapOwners(fullOwners.GetValueOrDefault(app.ObjectId) ?? []) }
                        : app;
                }
            }
        }
        finally
        {
            // Abandoned early (the scan failed or was cancelled): the prefetch must not fail unobserved.
            if (pending is not null)
            {
                await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<(List<(DomainApp App, bool OwnersCapped)> Page, string? Next)> ReadPageAsync(RequestInformation request, AppKind kind, CancellationToken cancellationToken)
    {
        var stream = await graph.RequestAdapter.SendPrimitiveAsync<Stream>(request, ErrorMapping, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("Graph returned an empty page.");
        await using (stream.ConfigureAwait(false))
        {
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            var root = document.RootElement;
            var next = root.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
            List<(DomainApp App, bool OwnersCapped)> page = root.TryGetProperty("value", out var value)
                ? [.. value.EnumerateArray().Select(item => ReadListed(item, kind)).OfType<(DomainApp, bool)>()]
                : [];
            return (page, next);
        }
    }

    internal static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new(StringComparer.Ordinal)
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    private static RequestInformation NextPage(string url)
    {
        var request = new RequestInformation { HttpMethod = Method.GET, URI = new Uri(url) };
        request.Headers.Add(ThrottlePriorityHeader, LowPriority);
        request.Headers.Add("Accept", "application/json");
        return request;
    }

    /// <summary>One listed object as a Domain App; true when <c>$expand</c> stopped at its 20-owner cap.</summary>
    internal static (DomainApp App, bool OwnersCapped)? ReadListed(JsonElement item, AppKind kind)
    {
        if (String(item, "id") is not { } id)
        {
            return null;
        }

        var credentials = new List<Credential>();
        ReadCredentials(item, "passwordCredentials", CredentialKind.Secret, credentials);
        ReadCredentials(item, "keyCredentials", CredentialKind.Certificate, credentials);
        var owners = new List<Owner>();
        var expanded = 0;
        if (item.TryGetProperty("owners", out var ownerArray) && ownerArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var owner in ownerArray.EnumerateArray())
            {
                expanded++;
                if (String(owner, "@odata.type") == "#microsoft.graph.user" && String(owner, "id") is { } ownerId)
                {
                    var upn = String(owner, "userPrincipalName");
                    var enabled = !owner.TryGetProperty("accountEnabled", out var e) || e.ValueKind != JsonValueKind.False;
                    owners.Add(new Owner(OwnerKind.Entra, ownerId, String(owner, "displayName") ?? upn ?? ownerId, upn, enabled, Deleted: false, CanManageCredentials: true));
                }
            }
        }

        var tags = item.TryGetProperty("tags", out var tagArray) && tagArray.ValueKind == JsonValueKind.Array
            ? tagArray.EnumerateArray().Select(t => t.GetString()).OfType<string>().ToList()
            : [];
        var appId = String(item, "appId") ?? string.Empty;
        return (new DomainApp(id, appId, String(item, "displayName") ?? (appId.Length > 0 ? appId : id), kind, credentials, owners, tags), expanded >= ExpandedOwnerCap);
    }

    private static void ReadCredentials(JsonElement item, string property, CredentialKind kind, List<Credential> into)
    {
        if (!item.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var credential in array.EnumerateArray())
        {
            // A credential without an end date cannot expire and is not tracked (as with the SDK mapping).
            if (credential.TryGetProperty("endDateTime", out var end) && end.ValueKind == JsonValueKind.String && end.TryGetDateTimeOffset(out var endsAt))
            {
                DateTimeOffset? startsAt = credential.TryGetProperty("startDateTime", out var start) && start.ValueKind == JsonValueKind.String && start.TryGetDateTimeOffset(out var s) ? s : null;
                into.Add(new Credential(String(credential, "keyId") ?? string.Empty, kind, String(credential, "displayName"), startsAt, endsAt));
            }
        }
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<Owner> MapOwners(IEnumerable<DirectoryObject> owners) =>
        [.. owners.OfType<User>().Where(u => u.Id is not null)
            .Select(u => new Owner(OwnerKind.Entra, u.Id!, u.DisplayName ?? u.UserPrincipalName ?? u.Id!, u.UserPrincipalName, u.AccountEnabled ?? true, Deleted: false, CanManageCredentials: true))];

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

    public async Task<string> GetLatestDeltaLinkAsync(AppKind kind, CancellationToken cancellationToken = default)
    {
        var url = $"{graph.RequestAdapter.BaseUrl}/{Collection(kind)}/delta?$select={string.Join(',', FieldsOf(kind))}&$deltatoken=latest";
        var link = kind == AppKind.Application
            ? (await graph.Applications.Delta.WithUrl(url).GetAsDeltaGetResponseAsync(r => r.Headers.Add(ThrottlePriorityHeader, LowPriority), cancellationToken).ConfigureAwait(false))?.OdataDeltaLink
            : (await graph.ServicePrincipals.Delta.WithUrl(url).GetAsDeltaGetResponseAsync(r => r.Headers.Add(ThrottlePriorityHeader, LowPriority), cancellationToken).ConfigureAwait(false))?.OdataDeltaLink;
        return link ?? throw new InvalidOperationException($"Graph returned no delta link for {Collection(kind)}.");
    }

    /// <summary>
    /// Delta pages carry no owners (<c>$expand</c> is not supported on delta), so each page's changed Apps get their
    /// owners in <c>$batch</c> requests of 20: about one request per 20 changed Apps instead of one each.
    /// </summary>
    public async IAsyncEnumerable<DirectoryChanges> GetChangesAsync(AppKind kind, string deltaLink, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? url = deltaLink;
        while (url is not null)
        {
            var (objects, nextLink, newDeltaLink) = await DeltaPageAsync(kind, url, cancellationToken).ConfigureAwait(false);
            var removed = objects.Where(o => o.Removed).Select(o => o.Id).ToList();
            var changed = objects.Where(o => !o.Removed).ToList();
            var owners = await OwnersOfAsync(kind, [.. changed.Select(c => c.Id)], cancellationToken).ConfigureAwait(false);
            var apps = new List<DomainApp>();
            foreach (var c in changed)
            {
                var app = Map(c.Id, c.AppId, c.DisplayName, kind, c.Tags, c.Secrets, c.Certificates, owners.GetValueOrDefault(c.Id) ?? []);
                // As in a full listing, a service principal with nothing to rotate and nobody accountable is not ours.
                if (kind == AppKind.ServicePrincipal && app.Credentials.Count == 0 && app.Owners.Count == 0)
                {
                    removed.Add(app.ObjectId);
                }
                else
                {
                    apps.Add(app);
                }
            }

            yield return new DirectoryChanges(apps, removed, newDeltaLink);
            url = nextLink;
        }
    }

    private sealed record DeltaObject(string Id, bool Removed, string? AppId, string? DisplayName, List<string>? Tags, List<PasswordCredential>? Secrets, List<KeyCredential>? Certificates);

    private async Task<(List<DeltaObject> Objects, string? NextLink, string? DeltaLink)> DeltaPageAsync(AppKind kind, string url, CancellationToken cancellationToken)
    {
        try
        {
            if (kind == AppKind.Application)
            {
                var page = await graph.Applications.Delta.WithUrl(url).GetAsDeltaGetResponseAsync(r => r.Headers.Add(ThrottlePriorityHeader, LowPriority), cancellationToken).ConfigureAwait(false);
                return ([.. (page?.Value ?? []).Where(a => a.Id is not null).Select(a => new DeltaObject(a.Id!, IsRemoved(a.AdditionalData), a.AppId, a.DisplayName, a.Tags, a.PasswordCredentials, a.KeyCredentials))], page?.OdataNextLink, page?.OdataDeltaLink);
            }

            var sps = await graph.ServicePrincipals.Delta.WithUrl(url).GetAsDeltaGetResponseAsync(r => r.Headers.Add(ThrottlePriorityHeader, LowPriority), cancellationToken).ConfigureAwait(false);
            return ([.. (sps?.Value ?? []).Where(a => a.Id is not null).Select(a => new DeltaObject(a.Id!, IsRemoved(a.AdditionalData), a.AppId, a.DisplayName, a.Tags, a.PasswordCredentials, a.KeyCredentials))], sps?.OdataNextLink, sps?.OdataDeltaLink);
        }
        catch (ODataError error) when (error.ResponseStatusCode == 410)
        {
            throw new DeltaExpiredException($"The {Collection(kind)} delta link has expired; a full resynchronization is needed.", error);
        }
    }

    private static bool IsRemoved(IDictionary<string, object>? additionalData) => additionalData?.ContainsKey("@removed") == true;

    private async Task<Dictionary<string, IReadOnlyList<DirectoryObject>>> OwnersOfAsync(AppKind kind, List<string> objectIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, IReadOnlyList<DirectoryObject>>(StringComparer.Ordinal);
        if (objectIds.Count == 0)
        {
            return result;
        }

        // $batch requests of 20, Graph's limit, each sent with the scan's low throttle priority. Built one batch at a
        // time because BatchRequestContentCollection (which splits by itself) has no way to add a request header.
#pragma warning disable CS0618
        foreach (var chunk in objectIds.Chunk(20))
        {
            var batch = new BatchRequestContent(graph);
            var steps = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var id in chunk)
            {
                var request = kind == AppKind.Application
                    ? graph.Applications[id].Owners.ToGetRequestInformation(r => { r.QueryParameters.Select = OwnerFields; r.QueryParameters.Top = PageSize; })
                    : graph.ServicePrincipals[id].Owners.ToGetRequestInformation(r => { r.QueryParameters.Select = OwnerFields; r.QueryParameters.Top = PageSize; });
                steps[id] = await batch.AddBatchRequestStepAsync(request).ConfigureAwait(false);
            }

            var responses = await PostBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            await CollectOwnersAsync(responses, steps, result, cancellationToken).ConfigureAwait(false);
        }
#pragma warning restore CS0618

        return result;
    }

    private async Task<BatchResponseContent> PostBatchAsync(BatchRequestContent batch, CancellationToken cancellationToken)
    {
        var request = await graph.Batch.ToPostRequestInformationAsync(batch, cancellationToken).ConfigureAwait(false);
        request.Headers.Add(ThrottlePriorityHeader, LowPriority);
        var native = new NativeResponseHandler();
        request.AddRequestOptions([new ResponseHandlerOption { ResponseHandler = native }]);
        await graph.RequestAdapter.SendNoContentAsync(request, ErrorMapping, cancellationToken).ConfigureAwait(false);
        return new BatchResponseContent(native.Value as HttpResponseMessage ?? throw new InvalidOperationException("Graph returned no $batch response."), ErrorMapping);
    }

    private async Task CollectOwnersAsync(BatchResponseContent responses, Dictionary<string, string> steps, Dictionary<string, IReadOnlyList<DirectoryObject>> result, CancellationToken cancellationToken)
    {
        foreach (var (id, step) in steps)
        {
            var page = await responses.GetResponseByIdAsync<DirectoryObjectCollectionResponse>(step).ConfigureAwait(false);
            var owners = new List<DirectoryObject>(page?.Value ?? []);
            var next = page?.OdataNextLink;
            while (next is not null)
            {
                var more = await graph.Applications[id].Owners.WithUrl(next).GetAsync(r => r.Headers.Add(ThrottlePriorityHeader, LowPriority), cancellationToken).ConfigureAwait(false);
                owners.AddRange(more?.Value ?? []);
                next = more?.OdataNextLink;
            }

            result[id] = owners;
        }
    }

    private static string Collection(AppKind kind) => kind == AppKind.Application ? "applications" : "servicePrincipals";

    internal static string[] FieldsOf(AppKind kind) => kind == AppKind.Application ? ApplicationFields : ServicePrincipalFields;

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

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} Apps on this page have more owners than $expand returns; listing their owners")]
    private static partial void LogPagingOwners(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The tenant directory did not answer a readiness probe")]
    private static partial void LogPingFailed(ILogger logger, Exception exception);
}
