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

public sealed partial class GraphTenantDirectory
{
    /// <summary>
    /// A link from now on (<c>$deltatoken=latest</c>), without <c>$select</c>: "If $select isn't specified, all properties
    /// of the object are tracked for changes", and selecting <c>keyCredentials</c> to track certificates would put every
    /// delta page under the 150-per-minute cap.
    /// </summary>
    public async Task<string> GetLatestDeltaLinkAsync(AppKind kind, CancellationToken cancellationToken = default)
    {
        var (_, _, deltaLink) = await DeltaPageAsync($"{_graph.RequestAdapter.BaseUrl}/{Collection(kind)}/delta?$deltatoken=latest", cancellationToken).ConfigureAwait(false);
        return deltaLink ?? throw new InvalidOperationException($"Graph returned no delta link for {Collection(kind)}.");
    }

    /// <summary>
    /// Each delta page names what changed and what was removed; the changed objects are then read whole, with owners
    /// (<see cref="ReadByIdsAsync"/>): about one request per 15 changed Apps, where looking up each one's owners would be
    /// one per App. An object changed and then deleted before it is read is reported removed.
    /// </summary>
    public async IAsyncEnumerable<DirectoryChanges> GetChangesAsync(AppKind kind, string deltaLink, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? url = deltaLink;
        while (url is not null)
        {
            var (changes, nextLink, newDeltaLink) = await DeltaPageAsync(url, cancellationToken).ConfigureAwait(false);
            var removed = changes.Where(c => c.Removed).Select(c => c.Id).Distinct(StringComparer.Ordinal).ToList();
            var changedIds = changes.Where(c => !c.Removed).Select(c => c.Id).Distinct(StringComparer.Ordinal).Except(removed, StringComparer.Ordinal).ToList();
            var current = changedIds.Count == 0 ? [] : await ReadByIdsAsync(kind, changedIds, withProperties: true, cancellationToken).ConfigureAwait(false);
            var apps = new List<DomainApp>();
            foreach (var id in changedIds)
            {
                // As in a full listing, a service principal with nothing to rotate and nobody accountable is not ours.
                if (!current.TryGetValue(id, out var app) || (kind == AppKind.ServicePrincipal && app.Credentials.Count == 0 && app.Owners.Count == 0))
                {
                    removed.Add(id);
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

    private async Task<(List<DeltaEntry> Changes, string? NextLink, string? DeltaLink)> DeltaPageAsync(string url, CancellationToken cancellationToken)
    {
        await _budget.SpendAsync(ScanResourceBudget.CostOf(1, select: false, expand: false), cancellationToken).ConfigureAwait(false);
        GraphTally.Current?.Page();
        try
        {
            var stream = await _graph.RequestAdapter.SendPrimitiveAsync<Stream>(NextPage(url), ErrorMapping, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("Graph returned an empty delta page.");
            await using (stream.ConfigureAwait(false))
            {
                using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                var root = document.RootElement;
                var changes = root.TryGetProperty("value", out var value)
                    ? value.EnumerateArray().Where(v => String(v, "id") is not null).Select(v => new DeltaEntry(String(v, "id")!, v.TryGetProperty("@removed", out _))).ToList()
                    : [];
                return (changes, String(root, "@odata.nextLink"), String(root, "@odata.deltaLink"));
            }
        }
        catch (ODataError error) when (error.ResponseStatusCode == 410)
        {
            throw new DeltaExpiredException("The delta link has expired; a full resynchronization is needed.", error);
        }
    }
}
