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
    public async Task<Person?> FindPersonAsync(string idOrUpnOrMail, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idOrUpnOrMail);
        var key = idOrUpnOrMail.Trim();
        try
        {
            var user = await _graph.Users[key].GetAsync(r => r.QueryParameters.Select = ["id", "displayName", "userPrincipalName", "mail", "accountEnabled"], cancellationToken).ConfigureAwait(false);
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

        var byMail = await _graph.Users.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"mail eq '{key.Replace("'", "''", StringComparison.Ordinal)}'";
            r.QueryParameters.Select = ["id", "displayName", "userPrincipalName", "mail", "accountEnabled"];
        }, cancellationToken).ConfigureAwait(false);
        return byMail?.Value is [var match, ..] ? ToPerson(match) : null;
    }

    /// <summary>
    /// <c>GET /users?$filter=id in (…15 ids…)&amp;$select=…accountEnabled</c>, 20 to a <c>$batch</c>, the batches side by
    /// side, at low priority and within the scan's resource-unit share (GET users costs 2, less 1 for <c>$select</c>).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, Person>> GetPeopleAsync(IReadOnlyCollection<string> objectIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objectIds);
        var urls = objectIds.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).Chunk(IdsPerFilter)
            .Select(ids => $"/users?$filter={Uri.EscapeDataString($"id in ({string.Join(',', ids.Select(id => $"'{id.Replace("'", "''", StringComparison.Ordinal)}'"))})")}&$select={string.Join(',', PersonFields)}")
            .ToList();
        var cost = ScanResourceBudget.CostOf(2, select: true, expand: false);
        var answers = await Task.WhenAll(urls.Chunk(GraphBatch.MaxRequests).Select(async batch =>
        {
            await _budget.SpendAsync(cost * batch.Length, cancellationToken).ConfigureAwait(false);
            return await _batch.GetAsync(batch, LowPriority, _time, cancellationToken).ConfigureAwait(false);
        })).ConfigureAwait(false);

        var people = new Dictionary<string, Person>(StringComparer.Ordinal);
        foreach (var body in answers.SelectMany(a => a))
        {
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("value", out var value))
            {
                foreach (var user in value.EnumerateArray())
                {
                    if (String(user, "id") is { } id)
                    {
                        var upn = String(user, "userPrincipalName");
                        var enabled = !user.TryGetProperty("accountEnabled", out var e) || e.ValueKind != JsonValueKind.False;
                        people[id] = new Person(id, String(user, "displayName") ?? upn ?? id, upn, String(user, "mail"), enabled);
                    }
                }
            }
        }

        return people;
    }

    /// <summary>
    /// <c>$filter=displayName eq '…'</c> (applications support <c>eq</c> on displayName); a quote in the name is doubled,
    /// as OData string literals require, and the SDK encodes the rest of the query. High priority: a person is naming an App.
    /// </summary>
    public async Task<IReadOnlyList<DomainApp>> FindApplicationsByNameAsync(string displayName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        var request = _graph.Applications.ToGetRequestInformation(r =>
        {
            r.Headers.Add(ThrottlePriorityHeader, HighPriority);
            r.QueryParameters.Filter = $"displayName eq '{displayName.Trim().Replace("'", "''", StringComparison.Ordinal)}'";
            r.QueryParameters.Top = 10;
        });
        var stream = await _graph.RequestAdapter.SendPrimitiveAsync<Stream>(request, ErrorMapping, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return [];
        }

        await using (stream.ConfigureAwait(false))
        {
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            return document.RootElement.TryGetProperty("value", out var value)
                ? [.. value.EnumerateArray().Select(item => ReadListed(item, AppKind.Application)?.App).OfType<DomainApp>()]
                : [];
        }
    }
}
