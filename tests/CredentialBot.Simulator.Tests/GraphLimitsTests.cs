using System.Net;
using CredentialBot.Simulator;
using CredentialBot.TestKit.Time;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Simulator.Tests;

/// <summary>
/// With <see cref="SimulatorOptions.Limits"/> set, the Simulator meters requests the way Graph's identity-and-access
/// service does (learn.microsoft.com/graph/throttling-limits): published resource-unit costs against a 10-second
/// budget, and the 150-per-minute cap on requests that select keyCredentials.
/// </summary>
public sealed class GraphLimitsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(TestClock.DefaultStart);
    private SimulatorServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var limits = new GraphLimits { ResourceUnits = 10, KeyCredentialRequests = 3 };
        _server = await SimulatorServer.StartAsync(DemoTenant.Create(_time), new SimulatorOptions { Limits = limits, Time = _time });
        _http = new HttpClient { BaseAddress = _server.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("GET", "applications", "", 2)]
    [InlineData("GET", "applications", "?$select=id,keyCredentials&$expand=owners&$top=100", 2)]
    [InlineData("GET", "applications", "?$select=id&$top=100", 1)]
    [InlineData("GET", "servicePrincipals", "?$select=id&$expand=owners&$top=100", 1)]
    [InlineData("GET", "servicePrincipals", "?$expand=owners", 2)]
    [InlineData("GET", "users", "?$top=5", 1)]
    [InlineData("GET", "groups/g1/transitiveMembers", "", 5)]
    [InlineData("POST", "users/u1/checkMemberGroups", "", 4)]
    [InlineData("GET", "applications/a1/owners", "?$select=id", 1)]
    [InlineData("GET", "applications", "?$filter=id in ('a','b')&$select=id&$expand=owners", 2)]
    [InlineData("GET", "servicePrincipals", "?$filter=id in ('a','b')&$expand=owners", 2)]
    [InlineData("GET", "applications/delta", "?$deltatoken=x", 1)]
    public void RequestsCost_ThePublishedResourceUnits(string method, string path, string query, int expected)
    {
        var cost = GraphMeter.CostOf(method, path.Split('/'), QueryHelpers.ParseQuery(query));

        Assert.Equal(expected, cost);
    }

    [Fact]
    public async Task OverTheResourceUnitBudget_Answers429WithRetryAfter_AndRefillsWithTime()
    {
        for (var i = 0; i < 5; i++)
        {
            using var admitted = await _http.GetAsync(new Uri("applications?$top=50", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
            Assert.Equal("2", admitted.Headers.GetValues("x-ms-resource-unit").Single());
        }

        using var refused = await _http.GetAsync(new Uri("applications?$top=50", UriKind.Relative));
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("ResourceUnitLimitExceeded", refused.Headers.GetValues("x-ms-throttle-information").Single());

        _time.Advance(TimeSpan.FromSeconds(2));
        using var again = await _http.GetAsync(new Uri("applications?$top=50", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task SelectingKeyCredentials_IsCappedPerMinute_WhileOtherRequestsGoOn()
    {
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            using var admitted = await _http.GetAsync(new Uri("servicePrincipals?$select=id,keyCredentials", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }

        using var capped = await _http.GetAsync(new Uri("servicePrincipals?$select=id,keyCredentials", UriKind.Relative));
        using var other = await _http.GetAsync(new Uri("servicePrincipals?$select=id,passwordCredentials", UriKind.Relative));
        Assert.Equal((HttpStatusCode)429, capped.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(40), capped.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        _time.Advance(TimeSpan.FromSeconds(40));
        using var later = await _http.GetAsync(new Uri("servicePrincipals?$select=id,keyCredentials", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(1, (await StatsAsync())["throttled"]);
    }

    [Fact]
    public async Task TheDefaultProjection_CarriesKeyCredentials_AndIsNotCapped()
    {
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            using var listing = await _http.GetAsync(new Uri("applications?$top=999", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
            Assert.Contains("\"keyCredentials\"", await listing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, (await StatsAsync())["keyCredentialRequests"]);
    }

    [Fact]
    public async Task RequestsInsideABatch_AreMeteredOneByOne()
    {
        var requests = Enumerable.Range(1, 6).Select(i => new { id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), method = "GET", url = "/applications?$top=50" }).ToArray();

        using var response = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(_http, "$batch", new { requests });
        var answers = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["responses"]!.AsArray();

        Assert.Equal(5, answers.Count(a => (int)a!["status"]! == 200));
        Assert.Equal(1, answers.Count(a => (int)a!["status"]! == 429));
    }

    private async Task<Dictionary<string, long>> StatsAsync()
    {
        using var stats = new HttpClient();
        return (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<Dictionary<string, long>>(stats, new Uri(_server.BaseAddress, "/_simulator/stats")))!;
    }
}
