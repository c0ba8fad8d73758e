using System.Globalization;
using System.Text.Json;
using CredentialBot.Domain;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using DomainApp = CredentialBot.Domain.App;

namespace CredentialBot.Directory;

/// <summary>
/// When an App's credentials were last used, from Entra's usage reports. Graph has them in <b>beta only</b> (the v1.0
/// SDK carries no request builder for them): <c>GET /beta/reports/appCredentialSignInActivities</c> — "recent activity of
/// application credentials", one entry per credential with its <c>keyId</c> and <c>signInActivity.lastSignInDateTime</c>,
/// filterable by <c>appId</c> — and <c>GET /beta/reports/servicePrincipalSignInActivities</c>, the App's
/// <c>lastSignInActivity</c> across flows (learn.microsoft.com/graph/api/reportroot-list-appcredentialsigninactivities,
/// …/resources/serviceprincipalsigninactivity). Both need <c>AuditLog.Read.All</c>, and sign-in reports need Microsoft
/// Entra ID P1 or P2. They go through the SDK's request adapter (auth, retries, errors) at high priority.
/// </summary>
internal sealed class CredentialActivityReader(GraphServiceClient graph)
{
    internal const string AuditLogReadAll = "AuditLog.Read.All";
    private const string What = "read when the app's credentials were last used";

    public async Task<DirectoryResult<CredentialUsage>> ReadAsync(DomainApp app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Beta() is not { } beta)
        {
            return new DirectoryResult<CredentialUsage>(NoBeta());
        }

        var filter = Uri.EscapeDataString($"appId eq '{app.AppId.Replace("'", "''", StringComparison.Ordinal)}'");
        try
        {
            var lastByKey = await LastUsesAsync($"{beta}/reports/appCredentialSignInActivities?$filter={filter}", cancellationToken).ConfigureAwait(false);

            DateTimeOffset? appLast = null;
            await foreach (var entry in PagesAsync($"{beta}/reports/servicePrincipalSignInActivities?$filter={filter}", cancellationToken).ConfigureAwait(false))
            {
                if (LastSignIn(entry, "lastSignInActivity") is { } at && (appLast is null || at > appLast))
                {
                    appLast = at;
                }
            }

            List<CredentialLastUse> credentials = [.. app.Credentials.Select(c => new CredentialLastUse(c.KeyId, lastByKey.TryGetValue(c.KeyId, out var at) ? at : null))];
            return new DirectoryResult<CredentialUsage>(new CredentialUsage(credentials, appLast));
        }
        catch (ODataError error)
        {
            return new DirectoryResult<CredentialUsage>(GraphRefusals.From(error, What, AuditLogReadAll));
        }
        catch (Exception exception) when (GraphRefusals.IsTransient(exception, cancellationToken))
        {
            return new DirectoryResult<CredentialUsage>(GraphRefusals.Unavailable(What, GraphRefusals.Describe(exception)));
        }
    }

    /// <summary>Every credential the reports know, tenant-wide: one unfiltered listing, paged.</summary>
    public async Task<DirectoryResult<TenantCredentialUsage>> ReadTenantAsync(CancellationToken cancellationToken)
    {
        if (Beta() is not { } beta)
        {
            return new DirectoryResult<TenantCredentialUsage>(NoBeta());
        }

        try
        {
            return new DirectoryResult<TenantCredentialUsage>(new TenantCredentialUsage(await LastUsesAsync($"{beta}/reports/appCredentialSignInActivities", cancellationToken).ConfigureAwait(false)));
        }
        catch (ODataError error)
        {
            return new DirectoryResult<TenantCredentialUsage>(GraphRefusals.From(error, What, AuditLogReadAll));
        }
        catch (Exception exception) when (GraphRefusals.IsTransient(exception, cancellationToken))
        {
            return new DirectoryResult<TenantCredentialUsage>(GraphRefusals.Unavailable(What, GraphRefusals.Describe(exception)));
        }
    }

    private string? Beta()
    {
        var baseUrl = graph.RequestAdapter.BaseUrl?.TrimEnd('/') ?? string.Empty;
        return baseUrl.EndsWith("/v1.0", StringComparison.OrdinalIgnoreCase) ? baseUrl[..^"v1.0".Length] + "beta" : null;
    }

    private static DirectoryRefusal NoBeta() =>
        GraphRefusals.Unavailable(What, "Graph:BaseUrl does not end in /v1.0, so the beta reports cannot be found beside it");

    private async Task<Dictionary<string, DateTimeOffset>> LastUsesAsync(string url, CancellationToken cancellationToken)
    {
        var lastByKey = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        await foreach (var entry in PagesAsync(url, cancellationToken).ConfigureAwait(false))
        {
            if (Text(entry, "keyId") is { } keyId && LastSignIn(entry, "signInActivity") is { } at)
            {
                // A credential used against several resources has an entry for each; the latest use counts.
                lastByKey[keyId] = lastByKey.TryGetValue(keyId, out var seen) && seen > at ? seen : at;
            }
        }

        return lastByKey;
    }

    private async IAsyncEnumerable<JsonElement> PagesAsync(string url, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? next = url;
        while (next is not null)
        {
            var request = new RequestInformation { HttpMethod = Method.GET, URI = new Uri(next) };
            request.Headers.Add("Accept", "application/json");
            request.Headers.Add(GraphTenantDirectory.ThrottlePriorityHeader, GraphTenantDirectory.HighPriority);
            var stream = await graph.RequestAdapter.SendPrimitiveAsync<Stream>(request, GraphTenantDirectory.ErrorMapping, cancellationToken).ConfigureAwait(false);
            if (stream is null)
            {
                yield break;
            }

            List<JsonElement> entries;
            await using (stream.ConfigureAwait(false))
            {
                using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                entries = document.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array
                    ? [.. value.EnumerateArray().Select(e => e.Clone())]
                    : [];
                next = Text(document.RootElement, "@odata.nextLink");
            }

            foreach (var entry in entries)
            {
                yield return entry;
            }
        }
    }

    private static DateTimeOffset? LastSignIn(JsonElement entry, string activity) =>
        entry.TryGetProperty(activity, out var signIn) && signIn.ValueKind == JsonValueKind.Object
        && Text(signIn, "lastSignInDateTime") is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
