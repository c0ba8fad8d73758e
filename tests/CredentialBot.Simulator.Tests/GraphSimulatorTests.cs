using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialBot.Simulator;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Simulator.Tests;

/// <summary>
/// The Simulator answers the Graph v1.0 calls the product makes (specs/graph-calls.md) the way Graph does,
/// including its caps and errors, so code tested against it behaves the same against a real tenant.
/// </summary>
public sealed class GraphSimulatorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(TestClock.DefaultStart);
    private SimulatorTenant _tenant = null!;
    private SimulatorServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _tenant = DemoTenant.Create(_time);
        _server = await SimulatorServer.StartAsync(_tenant);
        _http = new HttpClient { BaseAddress = _server.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Applications_ArePaged_WithNextLinks_UntilEveryOneIsSeen()
    {
        var names = new List<string>();
        string? url = "applications?$select=id,displayName&$top=7";
        var pages = 0;
        while (url is not null)
        {
            var page = await GetAsync(url);
            names.AddRange(page["value"]!.AsArray().Select(a => (string)a!["displayName"]!));
            url = (string?)page["@odata.nextLink"];
            pages++;
        }

        Assert.Equal(20, names.Count);
        Assert.Equal(20, names.Distinct().Count());
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Select_ReturnsOnlyTheNamedProperties()
    {
        var app = (await GetAsync("applications?$select=id,passwordCredentials&$top=1"))["value"]![0]!.AsObject();

        Assert.Equal(["id", "passwordCredentials"], app.Select(p => p.Key).Order());
    }

    [Theory]
    [InlineData("applications?$top=1000", "Request_UnsupportedQuery")]
    [InlineData("applications?$top=0", "Request_UnsupportedQuery")]
    [InlineData("applications?$expand=owners&$top=101", "Request_UnsupportedQuery")]
    [InlineData("applications?$filter=startswith(displayName,'P')", "Request_UnsupportedQuery")]
    public async Task QueriesGraphRefuses_AreRefusedWithGraphsError(string url, string code)
    {
        using var response = await _http.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
    }

    [Fact]
    public async Task ExpandedOwners_StopAt20_AndTheOwnersEndpointPagesTheRest()
    {
        var app = (await GetAsync($"applications?$filter=id eq '{DemoTenant.ObjectId(9)}'&$expand=owners($select=id)"))["value"]![0]!;
        Assert.Equal(20, app["owners"]!.AsArray().Count);

        var owners = new List<string>();
        string? url = $"applications/{DemoTenant.ObjectId(9)}/owners?$select=id,accountEnabled&$top=10";
        while (url is not null)
        {
            var page = await GetAsync(url);
            owners.AddRange(page["value"]!.AsArray().Select(o => (string)o!["id"]!));
            url = (string?)page["@odata.nextLink"];
        }

        Assert.Equal(27, owners.Distinct().Count());
    }

    [Fact]
    public async Task Delta_ReturnsOnlyChanges_AndRemovals_ThenAnEmptyRound()
    {
        var deltaLink = await DrainDeltaAsync("applications/delta?$select=id,displayName");
        _tenant.Modify(DemoTenant.ObjectId(1), app => app.DisplayName = "Payroll API v2");
        _tenant.Remove(DemoTenant.ObjectId(2));

        var changes = await GetAsync(deltaLink);
        var value = changes["value"]!.AsArray();

        Assert.Equal(2, value.Count);
        Assert.Contains(value, v => (string?)v!["displayName"] == "Payroll API v2");
        Assert.Contains(value, v => (string?)v!["id"] == DemoTenant.ObjectId(2) && v["@removed"] is not null);
        Assert.Empty((await GetAsync((string)changes["@odata.deltaLink"]!))["value"]!.AsArray());
    }

    [Fact]
    public async Task AnOwnerChange_IsNoDeltaChange_ButAPropertyChangeIs()
    {
        var deltaLink = await DrainDeltaAsync("applications/delta?$deltatoken=latest");
        var app = DemoTenant.ObjectId(7);
        using (var add = await _http.PostAsJsonAsync($"applications/{app}/owners/$ref", new Dictionary<string, string> { ["@odata.id"] = $"https://graph.microsoft.com/v1.0/directoryObjects/{DemoTenant.Megan}" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, add.StatusCode);
        }

        Assert.Empty((await GetAsync(deltaLink))["value"]!.AsArray());

        _tenant.Modify(app, a => a.Tags.Add("changed"));
        Assert.Equal(app, (string?)Assert.Single((await GetAsync(deltaLink))["value"]!.AsArray())!["id"]);
    }

    [Fact]
    public async Task Delta_RefusesExpand_WhichGraphDoesNotDocumentForIt()
    {
        using var response = await _http.GetAsync(new Uri("applications/delta?$expand=owners", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AnIdInFilter_ListsThoseObjects_WithTheirExpandedOwners()
    {
        var ids = new[] { DemoTenant.ObjectId(1), DemoTenant.ObjectId(3), DemoTenant.ObjectId(21), "no-such-object" };
        var filter = Uri.EscapeDataString($"id in ({string.Join(',', ids.Select(i => $"'{i}'"))})");

        var page = await GetAsync($"applications?$filter={filter}&$select=id&$expand=owners($select=id)");

        var found = page["value"]!.AsArray();
        Assert.Equal([DemoTenant.ObjectId(1), DemoTenant.ObjectId(3)], found.Select(a => (string)a!["id"]!).Order(StringComparer.Ordinal));
        Assert.Equal(2, found.Single(a => (string?)a!["id"] == DemoTenant.ObjectId(1))!["owners"]!.AsArray().Count);
        Assert.Null(page["@odata.nextLink"]);
    }

    [Fact]
    public async Task AnIdInFilter_OfMoreThan15Ids_IsRefused()
    {
        var filter = Uri.EscapeDataString($"id in ({string.Join(',', Enumerable.Range(1, 16).Select(i => $"'{DemoTenant.ObjectId(i)}'"))})");

        using var response = await _http.GetAsync(new Uri($"applications?$filter={filter}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Request_UnsupportedQuery", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
    }

    [Fact]
    public async Task KeyCredentials_CarryTheirKeyOnlyWhenSelected()
    {
        var app = DemoTenant.ObjectId(1);

        var byDefault = (await GetAsync($"applications/{app}"))["keyCredentials"]!.AsArray().Single()!;
        var selected = (await GetAsync($"applications/{app}?$select=id,keyCredentials"))["keyCredentials"]!.AsArray().Single()!;

        Assert.Null(byDefault["key"]);
        Assert.NotNull((string?)byDefault["endDateTime"]);
        Assert.False(string.IsNullOrEmpty((string?)selected["key"]));
    }

    [Fact]
    public async Task AnExpiredDeltaToken_Is410SyncStateNotFound()
    {
        var deltaLink = await DrainDeltaAsync("applications/delta?$select=id");
        _tenant.ExpireDeltaTokens();

        using var response = await _http.GetAsync(new Uri(deltaLink));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("SyncStateNotFound", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPassword_ReturnsTheSecretOnce_AndListingsOnlyShowItsHint()
    {
        using var added = await _http.PostAsJsonAsync($"applications/{DemoTenant.ObjectId(1)}/addPassword", new { passwordCredential = new { displayName = "rotated", endDateTime = _time.GetUtcNow().AddDays(90) } });
        var credential = JsonNode.Parse(await added.Content.ReadAsStringAsync())!;
        var secret = (string)credential["secretText"]!;
        var keyId = (string)credential["keyId"]!;

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.True(secret.Length >= 32);
        var listing = await _http.GetStringAsync(new Uri($"applications/{DemoTenant.ObjectId(1)}?$select=passwordCredentials", UriKind.Relative));
        Assert.DoesNotContain(secret, listing, StringComparison.Ordinal);
        Assert.Contains(keyId, listing, StringComparison.Ordinal);
        Assert.Contains(secret[..3], listing, StringComparison.Ordinal);

        using var removed = await _http.PostAsJsonAsync($"applications/{DemoTenant.ObjectId(1)}/removePassword", new { keyId });
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.DoesNotContain(keyId, await _http.GetStringAsync(new Uri($"applications/{DemoTenant.ObjectId(1)}?$select=passwordCredentials", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Owners_AreAddedAndRemovedByRef()
    {
        var app = DemoTenant.ObjectId(7);
        using var add = await _http.PostAsJsonAsync($"applications/{app}/owners/$ref", new Dictionary<string, string> { ["@odata.id"] = $"https://graph.microsoft.com/v1.0/directoryObjects/{DemoTenant.Megan}" });
        Assert.Equal(HttpStatusCode.NoContent, add.StatusCode);
        Assert.Contains(DemoTenant.Megan, _tenant.Find(app)!.OwnerIds);

        using var again = await _http.PostAsJsonAsync($"applications/{app}/owners/$ref", new Dictionary<string, string> { ["@odata.id"] = $"https://graph.microsoft.com/v1.0/directoryObjects/{DemoTenant.Megan}" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);

        using var remove = await _http.DeleteAsync(new Uri($"applications/{app}/owners/{DemoTenant.Megan}/$ref", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);
        Assert.DoesNotContain(DemoTenant.Megan, _tenant.Find(app)!.OwnerIds);
    }

    [Fact]
    public async Task Users_AreFoundByIdUpnOrMail_WithAccountEnabled()
    {
        var byUpn = await GetAsync("users/alexw@example.com?$select=id,accountEnabled");
        var byMail = await GetAsync("users?$filter=mail eq 'alexw@example.com'&$select=id");
        var disabled = await GetAsync($"users/{DemoTenant.Diego}?$select=id,accountEnabled");

        Assert.Equal(DemoTenant.Alex, (string?)byUpn["id"]);
        Assert.True((bool)byUpn["accountEnabled"]!);
        Assert.Equal(DemoTenant.Alex, (string?)byMail["value"]![0]!["id"]);
        Assert.False((bool)disabled["accountEnabled"]!);
        using var unknown = await _http.GetAsync(new Uri("users/nobody@example.com", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Batch_AnswersEachRequest_AndRefusesMoreThan20()
    {
        var requests = Enumerable.Range(1, 3).Select(i => new { id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), method = "GET", url = $"/applications/{DemoTenant.ObjectId(i)}/owners?$select=id" }).ToArray();
        using var ok = await _http.PostAsJsonAsync("$batch", new { requests });
        var responses = JsonNode.Parse(await ok.Content.ReadAsStringAsync())!["responses"]!.AsArray();

        Assert.Equal(3, responses.Count);
        Assert.All(responses, r => Assert.Equal(200, (int)r!["status"]!));

        var tooMany = Enumerable.Range(1, 21).Select(i => new { id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), method = "GET", url = "/applications?$top=1" }).ToArray();
        using var refused = await _http.PostAsJsonAsync("$batch", new { requests = tooMany });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task InjectedThrottling_Answers429WithRetryAfter()
    {
        await using var flaky = await SimulatorServer.StartAsync(DemoTenant.Create(_time), new SimulatorOptions { FailEveryNthRequest = 2, RetryAfterSeconds = 3 });
        using var http = new HttpClient { BaseAddress = flaky.BaseAddress };

        using var first = await http.GetAsync(new Uri("applications?$top=1", UriKind.Relative));
        using var second = await http.GetAsync(new Uri("applications?$top=1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((HttpStatusCode)429, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), second.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public void AGeneratedTenant_HasTheRequestedSize_AndIsReproducible()
    {
        var a = GeneratedTenant.Create(500, 200, seed: 7, _time);
        var b = GeneratedTenant.Create(500, 200, seed: 7, _time);

        Assert.Equal(500, a.Applications.Count);
        Assert.Equal(200, a.ServicePrincipals.Count);
        Assert.Equal(a.Applications.Select(x => x.DisplayName), b.Applications.Select(x => x.DisplayName));
    }

    [Fact]
    public void AGeneratedTenantsIds_DoNotGrowWithItsListing_AsNoRealTenantsDo()
    {
        var tenant = GeneratedTenant.Create(2_000, 2_000, seed: 7, _time);
        var ids = tenant.Applications.Concat(tenant.ServicePrincipals).Select(o => o.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.True(Guid.TryParse(id, out _), id));
        // Random keys rise from one object to the next about half the time; keys handed out in listing order always do.
        var rising = ids.Zip(ids.Skip(1)).Count(pair => string.CompareOrdinal(pair.First, pair.Second) < 0);
        Assert.InRange(rising / (double)(ids.Count - 1), 0.4, 0.6);
    }

    private async Task<JsonNode> GetAsync(string url)
    {
        using var response = await _http.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url} → {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    private async Task<string> DrainDeltaAsync(string url)
    {
        while (true)
        {
            var page = await GetAsync(url);
            if ((string?)page["@odata.deltaLink"] is { } deltaLink)
            {
                return deltaLink;
            }

            url = (string)page["@odata.nextLink"]!;
        }
    }
}
