using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CredentialBot.Directory.Diagnostics;
using CredentialBot.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using DomainApp = CredentialBot.Domain.App;
using Person = CredentialBot.Domain.Person;

namespace CredentialBot.Directory;

/// <summary>
/// The tenant through Microsoft Graph, read under Graph's published limits.
/// <para>
/// <b>A full listing</b> pages through the collection 999 objects at a time (the maximum page; with <c>$expand</c> it
/// would be 100, so ten times the chain of round trips) with no <c>$select</c>: the default projection carries
/// <c>keyCredentials</c> without their <c>key</c>, and only a <c>$select</c> of <c>keyCredentials</c> falls under the 150
/// requests per minute cap (learn.microsoft.com/graph/api/application-list). Each page's owners come in <c>$batch</c>
/// requests of <c>$filter=id in (…15 ids…)&amp;$select=id&amp;$expand=owners(…)</c>, sent while the next page is
/// fetched; Apps where <c>$expand</c> stopped at 20 owners get the rest from <c>/owners</c>.
/// </para>
/// <para>
/// <b>A delta round</b> asks <c>applications/delta</c> (or <c>servicePrincipals/delta</c>) only which objects changed or
/// were removed, then reads the changed ones whole, with owners, by the same <c>id in</c> requests. Graph documents
/// delta for these collections with <c>$select</c> and <c>$filter</c> by id only and says updated objects carry "at
/// least the properties that have been updated"; nothing documents owners in them, so owners never come from the
/// delta page itself.
/// </para>
/// Every scan request is sent with low throttle priority and spends from <see cref="ScanResourceBudget"/>, the scan's
/// share of the tenant's resource units. Retries on 429/503/504 honouring Retry-After are the Graph SDK's (bounded).
/// </summary>
public sealed partial class GraphTenantDirectory : ITenantDirectory
{
    /// <summary>
    /// Background scans ask Graph to throttle them before interactive traffic: "Low - Indicates the request is low
    /// priority. Throttling this request doesn't cause user-visible failures" (learn.microsoft.com/graph/throttling-limits).
    /// </summary>
    internal const string ThrottlePriorityHeader = "x-ms-throttle-priority";
    internal const string LowPriority = "low";

    /// <summary>"We recommend setting priority to high only for the requests initiated by the user" (same page).</summary>
    internal const string HighPriority = "high";

    /// <summary>"The default and maximum page sizes are 100 and 999 application objects respectively."</summary>
    internal const int ListingPageSize = 999;

    /// <summary>
    /// Ids compared by one <c>id in (…)</c> filter. Graph's filter page refers the limits of <c>in</c> to its known
    /// issues; 15 is the figure reported for directory objects, and the smallest one seen, so it is used here.
    /// </summary>
    internal const int IdsPerFilter = 15;

    private const int ExpandedOwnerCap = 20;
    private const int OwnersPageSize = 100;
    private static readonly string[] OwnerFields = ["id", "displayName", "userPrincipalName", "accountEnabled"];
    private static readonly string[] PersonFields = ["id", "displayName", "userPrincipalName", "mail", "accountEnabled"];
    internal static readonly string OwnersExpand = $"owners($select={string.Join(',', OwnerFields)})";

    private readonly GraphServiceClient _graph;
    private readonly GraphBatch _batch;
    private readonly TenantPostureReader _posture;
    private readonly CredentialActivityReader _activity;
    private readonly ScanResourceBudget _budget;
    private readonly TimeProvider _time;
    private readonly ILogger<GraphTenantDirectory> _logger;

    internal GraphTenantDirectory(GraphServiceClient graph, ScanResourceBudget budget, TimeProvider time, ILogger<GraphTenantDirectory> logger)
    {
        _graph = graph;
        _batch = new GraphBatch(graph);
        _posture = new TenantPostureReader(graph);
        _activity = new CredentialActivityReader(graph);
        _budget = budget;
        _time = time;
        _logger = logger;
    }

    public IAsyncEnumerable<DomainApp> GetApplicationsAsync(CancellationToken cancellationToken = default) =>
        ListAsync(AppKind.Application, cancellationToken);

    public IAsyncEnumerable<DomainApp> GetServicePrincipalsAsync(CancellationToken cancellationToken = default) =>
        ListAsync(AppKind.ServicePrincipal, cancellationToken);

    /// <summary>
    /// The full listing, page by page. Pages go through the SDK's request adapter (authentication, retry on 429/503 with
    /// Retry-After, errors as <see cref="ODataError"/>) but are read with System.Text.Json straight into Domain types:
    /// the SDK's own model parsing cost 4.5 times the HTTP and JSON work in the scan benchmark (docs/benchmarks.md).
    /// </summary>
    private async IAsyncEnumerable<DomainApp> ListAsync(AppKind kind, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var first = kind == AppKind.Application
            ? _graph.Applications.ToGetRequestInformation(r =>
            {
                r.Headers.Add(ThrottlePriorityHeader, LowPriority);
                r.QueryParameters.Top = ListingPageSize;
            })
            : _graph.ServicePrincipals.ToGetRequestInformation(r =>
            {
                r.Headers.Add(ThrottlePriorityHeader, LowPriority);
                r.QueryParameters.Top = ListingPageSize;
            });

        var pending = WithOwnersAsync(ReadPageAsync(first, kind, cancellationToken), kind, cancellationToken);
        try
        {
            while (pending is not null)
            {
                var (page, nextListing) = await pending.ConfigureAwait(false);
                // With Graph's latency, paging is a chain of round trips: the next page was asked for as soon as its link
                // arrived, and its owners are read while this page's Apps are consumed.
                pending = nextListing is null ? null : WithOwnersAsync(nextListing, kind, cancellationToken);
                foreach (var app in page)
                {
                    // A tenant holds thousands of first-party service principals with nothing to rotate and nobody
                    // accountable; only those with credentials or owners are CredentialBot's business.
                    if (kind == AppKind.ServicePrincipal && app.Credentials.Count == 0 && app.Owners.Count == 0)
                    {
                        continue;
                    }

                    yield return app;
                }
            }
        }
        finally
        {
            // Abandoned early (the scan failed or was cancelled): what is still in flight must not fail unobserved.
            if (pending is not null)
            {
                await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (pending.IsCompletedSuccessfully && pending.Result.NextListing is { } orphan)
                {
                    await ((Task)orphan).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }
    }

    /// <summary>
    /// A listed page completed with its owners. The page after it is asked for the moment this one's link is known,
    /// before these owners are read, and handed back still running.
    /// </summary>
    private async Task<(List<DomainApp> Page, Task<(List<DomainApp> Page, string? Next)>? NextListing)> WithOwnersAsync(Task<(List<DomainApp> Page, string? Next)> listing, AppKind kind, CancellationToken cancellationToken)
    {
        var (page, next) = await listing.ConfigureAwait(false);
        var nextListing = next is null ? null : ReadPageAsync(NextPage(next), kind, cancellationToken);
        Dictionary<string, DomainApp> owners;
        try
        {
            owners = await ReadByIdsAsync(kind, [.. page.Select(a => a.ObjectId)], withProperties: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (nextListing is not null)
            {
                await ((Task)nextListing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            throw;
        }

        // An App gone between its page and its owners is left out: the next listing no longer has it either.
        List<DomainApp> complete = [.. page.Where(app => owners.ContainsKey(app.ObjectId)).Select(app => app with { Owners = owners[app.ObjectId].Owners })];
        return (complete, nextListing);
    }

    private async Task<(List<DomainApp> Page, string? Next)> ReadPageAsync(RequestInformation request, AppKind kind, CancellationToken cancellationToken)
    {
        await _budget.SpendAsync(ScanResourceBudget.CostOf(BaseCost(kind), select: false, expand: false), cancellationToken).ConfigureAwait(false);
        GraphTally.Current?.Page();
        var stream = await _graph.RequestAdapter.SendPrimitiveAsync<Stream>(request, ErrorMapping, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("Graph returned an empty page.");
        await using (stream.ConfigureAwait(false))
        {
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            var root = document.RootElement;
            var next = root.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
            List<DomainApp> page = root.TryGetProperty("value", out var value)
                ? [.. value.EnumerateArray().Select(item => ReadListed(item, kind)?.App).OfType<DomainApp>()]
                : [];
            return (page, next);
        }
    }

    /// <summary>
    /// The Apps among <paramref name="objectIds"/> that still exist, each with all its Entra owners: with their
    /// properties too when <paramref name="withProperties"/>, otherwise only ids and owners. One <c>id in (…)</c>
    /// request per 15 ids, 20 of them to a <c>$batch</c>, the batches side by side.
    /// </summary>
    private async Task<Dictionary<string, DomainApp>> ReadByIdsAsync(AppKind kind, IReadOnlyList<string> objectIds, bool withProperties, CancellationToken cancellationToken)
    {
        var urls = objectIds.Distinct(StringComparer.Ordinal).Chunk(IdsPerFilter).Select(ids => ByIdsUrl(kind, ids, withProperties)).ToList();
        var cost = ScanResourceBudget.CostOf(BaseCost(kind), select: !withProperties, expand: true);
        var answers = await Task.WhenAll(urls.Chunk(GraphBatch.MaxRequests).Select(async batch =>
        {
            await _budget.SpendAsync(cost * batch.Length, cancellationToken).ConfigureAwait(false);
            return await _batch.GetAsync(batch, LowPriority, _time, cancellationToken).ConfigureAwait(false);
        })).ConfigureAwait(false);

        var found = new Dictionary<string, DomainApp>(StringComparer.Ordinal);
        var capped = new List<string>();
        foreach (var body in answers.SelectMany(a => a))
        {
            if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("value", out var value))
            {
                continue;
            }

            foreach (var item in value.EnumerateArray())
            {
                if (ReadListed(item, kind) is var (app, ownersCapped))
                {
                    found[app.ObjectId] = app;
                    if (ownersCapped)
                    {
                        capped.Add(app.ObjectId);
                    }
                }
            }
        }

        if (capped.Count > 0)
        {
            // $expand returns at most 20 owners and no link to the rest.
            LogPagingOwners(_logger, capped.Count);
            foreach (var (id, owners) in await OwnersOfAsync(kind, capped, cancellationToken).ConfigureAwait(false))
            {
                found[id] = found[id] with { Owners = owners };
            }
        }

        return found;
    }

    private static string ByIdsUrl(AppKind kind, IEnumerable<string> ids, bool withProperties)
    {
        var filter = $"id in ({string.Join(',', ids.Select(id => $"'{id.Replace("'", "''", StringComparison.Ordinal)}'"))})";
        var url = new StringBuilder("/").Append(Collection(kind)).Append("?$filter=").Append(Uri.EscapeDataString(filter));
        if (!withProperties)
        {
            url.Append("&$select=id");
        }

        return url.Append("&$expand=").Append(Uri.EscapeDataString(OwnersExpand)).ToString();
    }

    /// <summary>Every owner of each App, from <c>/owners</c> in <c>$batch</c> requests of 20, following next links.</summary>
    private async Task<Dictionary<string, IReadOnlyList<Owner>>> OwnersOfAsync(AppKind kind, List<string> objectIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, IReadOnlyList<Owner>>(StringComparer.Ordinal);
        foreach (var chunk in objectIds.Chunk(GraphBatch.MaxRequests))
        {
            var owners = chunk.ToDictionary(id => id, _ => new List<Owner>(), StringComparer.Ordinal);
            var pending = chunk.Select(id => (Id: id, Url: $"/{Collection(kind)}/{Uri.EscapeDataString(id)}/owners?$select={string.Join(',', OwnerFields)}&$top={OwnersPageSize}")).ToList();
            while (pending.Count > 0)
            {
                await _budget.SpendAsync(ScanResourceBudget.CostOf(1, select: true, expand: false) * pending.Count, cancellationToken).ConfigureAwait(false);
                var answers = await _batch.GetAsync([.. pending.Select(p => p.Url)], LowPriority, _time, cancellationToken).ConfigureAwait(false);
                var next = new List<(string Id, string Url)>();
                for (var i = 0; i < pending.Count; i++)
                {
                    var body = answers[i];
                    if (body.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    if (body.TryGetProperty("value", out var value))
                    {
                        owners[pending[i].Id].AddRange(ReadOwners(value, out _));
                    }

                    if (body.TryGetProperty("@odata.nextLink", out var link) && link.GetString() is { } more)
                    {
                        next.Add((pending[i].Id, RelativeToGraph(more)));
                    }
                }

                pending = next;
            }

            foreach (var (id, list) in owners)
            {
                result[id] = list;
            }
        }

        return result;
    }

    /// <summary>A link Graph returned, as a path a <c>$batch</c> step can carry (relative to the version root).</summary>
    private string RelativeToGraph(string link)
    {
        var root = _graph.RequestAdapter.BaseUrl!.TrimEnd('/');
        return link.StartsWith(root, StringComparison.OrdinalIgnoreCase) ? link[root.Length..] : new Uri(link).PathAndQuery;
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

    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _graph.Applications.GetAsync(r =>
            {
                r.QueryParameters.Top = 1;
                r.QueryParameters.Select = ["id"];
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is ODataError or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogPingFailed(_logger, ex);
            return false;
        }
    }

    private sealed record DeltaEntry(string Id, bool Removed);

    private static string Collection(AppKind kind) => kind == AppKind.Application ? "applications" : "servicePrincipals";

    /// <summary>Graph's base cost of listing the collection: "GET applications" 2; servicePrincipals is not listed, so 1.</summary>
    private static int BaseCost(AppKind kind) => kind == AppKind.Application ? 2 : 1;

    /// <summary>
    /// Every Entra owner of one App, for a read a person waits on: <c>/owners</c> page by page, at normal priority and
    /// outside the scan's budget.
    /// </summary>
    internal static async Task<List<Owner>> AllOwnersAsync(GraphServiceClient graph, AppKind kind, string objectId, CancellationToken cancellationToken)
    {
        var owners = new List<Owner>();
        string? url = $"{graph.RequestAdapter.BaseUrl}/{Collection(kind)}/{Uri.EscapeDataString(objectId)}/owners?$select={string.Join(',', OwnerFields)}&$top={OwnersPageSize}";
        while (url is not null)
        {
            var request = new RequestInformation { HttpMethod = Method.GET, URI = new Uri(url) };
            request.Headers.Add("Accept", "application/json");
            var stream = await graph.RequestAdapter.SendPrimitiveAsync<Stream>(request, ErrorMapping, cancellationToken).ConfigureAwait(false);
            if (stream is null)
            {
                break;
            }

            await using (stream.ConfigureAwait(false))
            {
                using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (document.RootElement.TryGetProperty("value", out var value))
                {
                    owners.AddRange(ReadOwners(value, out _));
                }

                url = String(document.RootElement, "@odata.nextLink");
            }
        }

        return owners;
    }

    public Task<TenantPosture> GetTenantPostureAsync(CancellationToken cancellationToken = default) => _posture.ReadAsync(cancellationToken);

    public Task<DirectoryResult<CredentialUsage>> GetCredentialUsageAsync(DomainApp app, CancellationToken cancellationToken = default) =>
        _activity.ReadAsync(app, cancellationToken);

    public Task<DirectoryResult<TenantCredentialUsage>> GetTenantCredentialUsageAsync(CancellationToken cancellationToken = default) =>
        _activity.ReadTenantAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} Apps have more owners than $expand returns; listing their owners")]
    private static partial void LogPagingOwners(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The tenant directory did not answer a readiness probe")]
    private static partial void LogPingFailed(ILogger logger, Exception exception);
}
