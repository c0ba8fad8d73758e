using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using CredentialBot.Simulator;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Simulator.Tests;

/// <summary>
/// The Simulator answers the calls behind tenant posture, app creation, certificate changes and usage reports as Graph
/// documents them, errors included, straight over HTTP.
/// </summary>
public sealed class TenantWritesAndReportsTests : IAsyncLifetime
{
    private static readonly string Payroll = DemoTenant.ObjectId(1);
    private readonly FakeTimeProvider _time = new(TestClock.DefaultStart);
    private SimulatorTenant _tenant = null!;
    private SimulatorServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _tenant = DemoTenant.Create(_time);
        _server = await SimulatorServer.StartAsync(_tenant, new SimulatorOptions { Time = _time });
        _http = new HttpClient { BaseAddress = _server.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ThePolicies_AreServedInGraphsShape()
    {
        var authorization = await GetAsync("policies/authorizationPolicy");
        var appManagement = await GetAsync("policies/defaultAppManagementPolicy");
        var adminConsent = await GetAsync("policies/adminConsentRequestPolicy");

        Assert.Equal("authorizationPolicy", (string?)authorization["id"]);
        Assert.True((bool)authorization["defaultUserRolePermissions"]!["allowedToCreateApps"]!);
        Assert.Equal(["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"], authorization["defaultUserRolePermissions"]!["permissionGrantPoliciesAssigned"]!.AsArray().Select(p => (string?)p));
        Assert.False((bool)appManagement["isEnabled"]!);
        Assert.Empty(appManagement["applicationRestrictions"]!["passwordCredentials"]!.AsArray());
        Assert.NotNull(appManagement["servicePrincipalRestrictions"]!["keyCredentials"]);
        Assert.False((bool)adminConsent["isEnabled"]!);
    }

    [Fact]
    public async Task ARestriction_IsWrittenWithItsTypeStateAndIsoDuration()
    {
        _tenant.Policies.AppManagement.IsEnabled = true;
        _tenant.Policies.AppManagement.ApplicationPasswords.Add(new SimRestriction("passwordLifetime", TimeSpan.FromDays(90), new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        var restriction = (await GetAsync("policies/defaultAppManagementPolicy"))["applicationRestrictions"]!["passwordCredentials"]![0]!;

        Assert.Equal(("passwordLifetime", "enabled", "P90D", "2024-01-01T00:00:00Z"), ((string?)restriction["restrictionType"], (string?)restriction["state"], (string?)restriction["maxLifetime"], (string?)restriction["restrictForAppsCreatedAfterDateTime"]));
    }

    [Theory]
    [InlineData("policies/authorizationPolicy")]
    [InlineData("policies/defaultAppManagementPolicy")]
    [InlineData("policies/adminConsentRequestPolicy")]
    public async Task APolicy_WithoutPolicyReadAll_Is403AuthorizationRequestDenied(string path)
    {
        _tenant.GrantedPermissions = new HashSet<string> { "Application.Read.All" };

        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));

        await AssertErrorAsync(response, HttpStatusCode.Forbidden, "Authorization_RequestDenied");
    }

    [Fact]
    public async Task CreatingAnApp_Answers201_AndTheAppIsListedAndInDelta()
    {
        var link = await LatestDeltaLinkAsync();

        using var response = await _http.PostAsJsonAsync("applications", new { displayName = "Invoice Reader", signInAudience = "AzureADMyOrg", description = "Reads invoices", tags = new[] { "team:finance" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var app = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(("Invoice Reader", "AzureADMyOrg", "Reads invoices"), ((string?)app["displayName"], (string?)app["signInAudience"], (string?)app["description"]));
        Assert.NotEqual((string?)app["id"], (string?)app["appId"]);
        Assert.Single((await GetAsync("applications?$filter=displayName eq 'invoice reader'"))["value"]!.AsArray());
        Assert.Contains((await GetAsync(link))["value"]!.AsArray(), v => (string?)v!["id"] == (string?)app["id"]);
    }

    [Theory]
    [InlineData("{}", "displayName")]
    [InlineData("{\"displayName\":\"x\",\"signInAudience\":\"Everyone\"}", "signInAudience")]
    [InlineData("{\"displayName\":\"x\",\"passwordCredentials\":[{\"displayName\":\"s\"}]}", "addPassword")]
    [InlineData("{\"displayName\":\"x\",\"keyCredentials\":[{\"type\":\"AsymmetricX509Cert\",\"usage\":\"Verify\",\"key\":\"bm90IGEgY2VydA==\"}]}", "X.509")]
    public async Task ABadApplication_Is400WithAReason_AndNothingIsCreated(string body, string reason)
    {
        var before = _tenant.Applications.Count;

        using var response = await _http.PostAsync(new Uri("applications", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "Request_BadRequest");
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Equal(before, _tenant.Applications.Count);
    }

    [Fact]
    public async Task AServicePrincipal_IsOnePerApp_AndNeedsARealAppId()
    {
        var appId = DemoTenant.AppId(3);

        using var first = await _http.PostAsJsonAsync("servicePrincipals", new { appId });
        using var second = await _http.PostAsJsonAsync("servicePrincipals", new { appId });
        using var unknown = await _http.PostAsJsonAsync("servicePrincipals", new { appId = Guid.NewGuid().ToString() });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(appId, (string?)JsonNode.Parse(await first.Content.ReadAsStringAsync())!["appId"]);
        await AssertErrorAsync(second, HttpStatusCode.Conflict, "Request_MultipleObjectsWithSameKeyValue");
        await AssertErrorAsync(unknown, HttpStatusCode.BadRequest, "Request_BadRequest");
    }

    [Fact]
    public async Task UnderOwnedBy_WhatTheBotCreatesIsItsOwn_AndOtherAppsAndOtherOwnersAreForbidden()
    {
        _tenant.GrantedPermissions = new HashSet<string> { "Application.ReadWrite.OwnedBy" };

        using var created = await _http.PostAsJsonAsync("applications", new { displayName = "Bot-made" });
        var id = (string?)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"];
        using var addPerson = await _http.PostAsJsonAsync($"applications/{id}/owners/$ref", new Dictionary<string, string> { ["@odata.id"] = $"https://graph.microsoft.com/v1.0/directoryObjects/{DemoTenant.Alex}" });
        using var otherApp = await PatchAsync($"applications/{Payroll}", new JsonObject { ["displayName"] = "taken over" });
        using var ownApp = await PatchAsync($"applications/{id}", new JsonObject { ["displayName"] = "Bot-made v2" });

        Assert.Equal([DemoTenant.CredentialBotServicePrincipal], _tenant.Find(id!)!.OwnerIds);
        await AssertErrorAsync(addPerson, HttpStatusCode.Forbidden, "Authorization_RequestDenied");
        await AssertErrorAsync(otherApp, HttpStatusCode.Forbidden, "Authorization_RequestDenied");
        Assert.Equal(HttpStatusCode.NoContent, ownApp.StatusCode);
        Assert.Equal("Payroll API", _tenant.Find(Payroll)!.DisplayName);
    }

    [Fact]
    public async Task AServicePrincipalOwner_IsListedAsOne()
    {
        using var add = await _http.PostAsJsonAsync($"applications/{Payroll}/owners/$ref", new Dictionary<string, string> { ["@odata.id"] = $"https://graph.microsoft.com/v1.0/directoryObjects/{DemoTenant.CredentialBotServicePrincipal}" });

        var owners = (await GetAsync($"applications/{Payroll}/owners?$select=id,displayName"))["value"]!.AsArray();

        Assert.Equal(HttpStatusCode.NoContent, add.StatusCode);
        Assert.Contains(owners, o => (string?)o!["@odata.type"] == "#microsoft.graph.servicePrincipal" && (string?)o["id"] == DemoTenant.CredentialBotServicePrincipal);
    }

    [Fact]
    public async Task PatchingKeyCredentials_ReplacesTheCollection_AndIsADeltaChange()
    {
        var link = await LatestDeltaLinkAsync();
        var certificate = Certificate("CN=replacement");

        using var response = await PatchAsync($"applications/{Payroll}", new JsonObject { ["keyCredentials"] = new JsonArray(KeyCredential(certificate)) });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var key = Assert.Single(_tenant.Find(Payroll)!.KeyCredentials);
        Assert.Equal((certificate, "CN=replacement"), (key.Key, key.DisplayName));
        var selected = (await GetAsync($"applications/{Payroll}?$select=id,keyCredentials"))["keyCredentials"]![0]!;
        Assert.Equal(certificate, (string?)selected["key"]);
        Assert.Contains((await GetAsync(link))["value"]!.AsArray(), v => (string?)v!["id"] == Payroll);
    }

    [Fact]
    public async Task AKeyReadWithSelect_CanBeSentBackAsIs()
    {
        var existing = (await GetAsync($"applications/{Payroll}?$select=id,keyCredentials"))["keyCredentials"]!.AsArray();

        using var response = await PatchAsync($"applications/{Payroll}", new JsonObject { ["keyCredentials"] = new JsonArray([.. existing.Select(k => k!.DeepClone()), KeyCredential(Certificate("CN=added"))]) });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(2, _tenant.Find(Payroll)!.KeyCredentials.Count);
    }

    public static TheoryData<string, string> BadKeyCredentials => new()
    {
        { """{"type":"AsymmetricX509Cert","usage":"Verify"}""", "not a valid public X.509 certificate" },
        { """{"type":"AsymmetricX509Cert","usage":"Verify","key":"%%%not base64%%%"}""", "not a valid public X.509 certificate" },
        { $$"""{"type":"AsymmetricX509Cert","usage":"Verify","key":"{{Convert.ToBase64String(Pfx())}}"}""", "not a valid public X.509 certificate" },
        { $$"""{"type":"Symmetric","usage":"Verify","key":"{{Certificate("CN=x")}}"}""", "not a valid key credential" },
        { $$"""{"type":"AsymmetricX509Cert","usage":"Verify","key":"{{Certificate("CN=x")}}","keyId":"not-a-guid"}""", "is not a GUID" },
        { $$"""{"type":"AsymmetricX509Cert","usage":"Verify","key":"{{Certificate("CN=x")}}","startDateTime":"2027-01-01T00:00:00Z","endDateTime":"2026-01-01T00:00:00Z"}""", "endDateTime must be later" },
    };

    [Theory]
    [MemberData(nameof(BadKeyCredentials))]
    public async Task ABadKeyCredential_Is400_AndTheStoredKeysAreUntouched(string entry, string reason)
    {
        var before = _tenant.Find(Payroll)!.KeyCredentials.ToList();

        using var response = await PatchAsync($"applications/{Payroll}", new JsonObject { ["keyCredentials"] = new JsonArray(JsonNode.Parse(entry)) });

        Assert.Contains(reason, await AssertErrorAsync(response, HttpStatusCode.BadRequest, "Request_BadRequest"), StringComparison.Ordinal);
        Assert.Equal(before, _tenant.Find(Payroll)!.KeyCredentials);
    }

    [Fact]
    public async Task ADuplicateKeyId_Is400()
    {
        var keyId = Guid.NewGuid().ToString();
        var entry = KeyCredential(Certificate("CN=dup"));
        entry["keyId"] = keyId;

        using var response = await PatchAsync($"applications/{Payroll}", new JsonObject { ["keyCredentials"] = new JsonArray(entry, entry.DeepClone()) });

        Assert.Contains("more than once", await AssertErrorAsync(response, HttpStatusCode.BadRequest, "Request_BadRequest"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APropertyTheSimulatorCannotChange_Is400_NotIgnored()
    {
        using var response = await PatchAsync($"applications/{Payroll}", new JsonObject { ["appId"] = "mine-now" });

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "Request_BadRequest");
        Assert.Equal(DemoTenant.AppId(1), _tenant.Find(Payroll)!.AppId);
    }

    [Fact]
    public async Task UsageReports_AreBetaOnly_FilterByAppId_AndCarryEachKeysLastSignIn()
    {
        var secret = _tenant.Find(Payroll)!.PasswordCredentials[0];

        var credentials = (await GetAsync($"../beta/reports/appCredentialSignInActivities?$filter=appId eq '{DemoTenant.AppId(1)}'"))["value"]!.AsArray();
        var servicePrincipals = (await GetAsync($"../beta/reports/servicePrincipalSignInActivities?$filter=appId eq '{DemoTenant.AppId(1)}'"))["value"]!.AsArray();
        using var onV1 = await _http.GetAsync(new Uri("reports/appCredentialSignInActivities", UriKind.Relative));

        var entry = Assert.Single(credentials)!;
        Assert.Equal((secret.KeyId, "application", "clientSecret"), ((string?)entry["keyId"], (string?)entry["credentialOrigin"], (string?)entry["keyType"]));
        Assert.Equal(_time.GetUtcNow().AddHours(-1), DateTimeOffset.Parse((string)entry["signInActivity"]!["lastSignInDateTime"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(Assert.Single(servicePrincipals)!["lastSignInActivity"]!["lastSignInDateTime"]);
        Assert.Equal(HttpStatusCode.NotFound, onV1.StatusCode);
    }

    [Fact]
    public async Task UsageReports_WithoutALicence_AreThe403GraphGives_AndWithoutAuditLogRead_AreDenied()
    {
        _tenant.SignIns.Licensed = false;
        using var unlicensed = await _http.GetAsync(new Uri("../beta/reports/appCredentialSignInActivities", UriKind.Relative));
        _tenant.GrantedPermissions = new HashSet<string> { "Application.Read.All" };
        using var unpermitted = await _http.GetAsync(new Uri("../beta/reports/servicePrincipalSignInActivities", UriKind.Relative));

        Assert.Contains("premium license", await AssertErrorAsync(unlicensed, HttpStatusCode.Forbidden, "Authentication_RequestFromNonPremiumTenantOrB2CTenant"), StringComparison.Ordinal);
        await AssertErrorAsync(unpermitted, HttpStatusCode.Forbidden, "Authorization_RequestDenied");
    }

    [Fact]
    public async Task ASignIn_CanBeRecordedOverHttp()
    {
        var key = _tenant.Find(DemoTenant.ObjectId(13))!.KeyCredentials[0].KeyId;

        using var recorded = await _http.PostAsJsonAsync(new Uri(_server.BaseAddress, "/_simulator/signins"), new SimSignIn(DemoTenant.AppId(13), key, _time.GetUtcNow()));
        using var bad = await _http.PostAsJsonAsync(new Uri(_server.BaseAddress, "/_simulator/signins"), new { appId = "", keyId = key });

        Assert.Equal(HttpStatusCode.NoContent, recorded.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var entry = Assert.Single((await GetAsync($"../beta/reports/appCredentialSignInActivities?$filter=keyId eq '{key}'"))["value"]!.AsArray())!;
        Assert.Equal("certificate", (string?)entry["keyType"]);
    }

    [Fact]
    public async Task UsersByIds_AreListed15AtMost_AndADeletedUserIsNotAmongThem()
    {
        _tenant.RemoveUser(DemoTenant.Patti);
        var ids = string.Join(',', new[] { DemoTenant.Alex, DemoTenant.Patti, DemoTenant.Diego }.Select(id => $"'{id}'"));
        var sixteen = string.Join(',', Enumerable.Range(0, 16).Select(i => $"'id-{i}'"));

        var users = (await GetAsync($"users?$filter=id in ({ids})&$select=id,accountEnabled"))["value"]!.AsArray();
        using var tooMany = await _http.GetAsync(new Uri($"users?$filter=id in ({sixteen})", UriKind.Relative));

        Assert.Equal([DemoTenant.Alex, DemoTenant.Diego], users.Select(u => (string?)u!["id"]));
        Assert.False((bool)users[1]!["accountEnabled"]!);
        await AssertErrorAsync(tooMany, HttpStatusCode.BadRequest, "Request_UnsupportedQuery");
        Assert.DoesNotContain((await GetAsync($"applications/{DemoTenant.ObjectId(12)}/owners"))["value"]!.AsArray(), o => (string?)o!["id"] == DemoTenant.Patti);
    }

    private static JsonObject KeyCredential(string base64Der) => new()
    {
        ["type"] = "AsymmetricX509Cert",
        ["usage"] = "Verify",
        ["key"] = base64Der,
    };

    private static string Certificate(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var certificate = new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(start, start.AddYears(1));
        return Convert.ToBase64String(certificate.Export(X509ContentType.Cert));
    }

    private static byte[] Pfx()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var certificate = new CertificateRequest("CN=pfx", key, HashAlgorithmName.SHA256).CreateSelfSigned(start, start.AddYears(1));
        return certificate.Export(X509ContentType.Pfx);
    }

    private Task<HttpResponseMessage> PatchAsync(string path, JsonObject body) =>
        _http.PatchAsync(new Uri(path, UriKind.Relative), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    private async Task<string> LatestDeltaLinkAsync() => (string)(await GetAsync("applications/delta?$deltatoken=latest"))["@odata.deltaLink"]!;

    private async Task<JsonNode> GetAsync(string url)
    {
        using var response = await _http.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static async Task<string> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal((status, code), (response.StatusCode, (string?)error["code"]));
        return (string)error["message"]!;
    }
}
