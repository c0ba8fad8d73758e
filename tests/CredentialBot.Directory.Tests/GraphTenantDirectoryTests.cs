using CredentialBot.Directory;
using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Directory.Tests;

/// <summary>The Graph SDK adapter, against the Simulator's demo tenant over real HTTP.</summary>
public sealed class GraphTenantDirectoryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(TestClock.DefaultStart);
    private SimulatorTenant _tenant = null!;
    private SimulatorServer _server = null!;

    public async Task InitializeAsync()
    {
        _tenant = DemoTenant.Create(_time);
        _server = await SimulatorServer.StartAsync(_tenant);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Applications_StreamEveryAppWithItsCredentials()
    {
        var apps = await ToListAsync(Directory(_server.BaseAddress).GetApplicationsAsync());

        Assert.Equal(20, apps.Count);
        Assert.All(apps, a => Assert.Equal(AppKind.Application, a.Kind));
        var payroll = apps.Single(a => a.ObjectId == DemoTenant.ObjectId(1));
        Assert.Equal("Payroll API", payroll.DisplayName);
        Assert.Equal(DemoTenant.AppId(1), payroll.AppId);
        Assert.Contains(payroll.Credentials, c => c.Kind == CredentialKind.Secret && c.DisplayName == "prod-secret");
        Assert.Contains(payroll.Credentials, c => c.Kind == CredentialKind.Certificate);
        Assert.Equal("prod-secret", payroll.NearestExpiry?.DisplayName);
    }

    [Fact]
    public async Task Changes_SinceTheLatestLink_AreTheChangedAppsWithOwners_AndTheRemovedIds()
    {
        var directory = Directory(_server.BaseAddress);
        var link = await directory.GetLatestDeltaLinkAsync(AppKind.Application);
        _tenant.Modify(DemoTenant.ObjectId(1), app => app.DisplayName = "Payroll API v2");
        _tenant.Remove(DemoTenant.ObjectId(2));

        var pages = new List<DirectoryChanges>();
        await foreach (var page in directory.GetChangesAsync(AppKind.Application, link))
        {
            pages.Add(page);
        }

        var changed = Assert.Single(pages.SelectMany(p => p.Changed));
        Assert.Equal("Payroll API v2", changed.DisplayName);
        Assert.Equal([DemoTenant.Alex, DemoTenant.Megan], changed.OwnersOf(OwnerKind.Entra).Select(o => o.ObjectId).Order(StringComparer.Ordinal));
        Assert.Equal([DemoTenant.ObjectId(2)], pages.SelectMany(p => p.Removed));
        Assert.NotNull(pages[^1].DeltaLink);
        Assert.NotEqual(link, pages[^1].DeltaLink);
    }

    [Fact]
    public async Task NoChanges_IsAnEmptyPageWithTheNextLink()
    {
        var directory = Directory(_server.BaseAddress);
        var link = await directory.GetLatestDeltaLinkAsync(AppKind.ServicePrincipal);

        var pages = new List<DirectoryChanges>();
        await foreach (var page in directory.GetChangesAsync(AppKind.ServicePrincipal, link))
        {
            pages.Add(page);
        }

        var only = Assert.Single(pages);
        Assert.Empty(only.Changed);
        Assert.Empty(only.Removed);
        Assert.NotNull(only.DeltaLink);
    }

    [Fact]
    public async Task AnExpiredLink_IsADeltaExpiredException()
    {
        var directory = Directory(_server.BaseAddress);
        var link = await directory.GetLatestDeltaLinkAsync(AppKind.Application);
        _tenant.ExpireDeltaTokens();

        await Assert.ThrowsAsync<DeltaExpiredException>(async () =>
        {
            await foreach (var _ in directory.GetChangesAsync(AppKind.Application, link))
            {
            }
        });
    }

    [Fact]
    public async Task ScanListings_AskGraphForLowThrottlePriority_AndLookupsDoNot()
    {
        await ToListAsync(Directory(_server.BaseAddress).GetApplicationsAsync());
        var afterScan = _tenant.HttpRequestCount;
        Assert.Equal(afterScan, _tenant.LowPriorityRequestCount);

        await Directory(_server.BaseAddress).FindPersonAsync(DemoTenant.Alex);

        Assert.Equal(afterScan, _tenant.LowPriorityRequestCount);
        Assert.True(_tenant.HttpRequestCount > afterScan);
    }

    [Fact]
    public async Task AnAppWithMoreThan20Owners_GetsEveryOwner()
    {
        var apps = await ToListAsync(Directory(_server.BaseAddress).GetApplicationsAsync());

        Assert.Equal(27, apps.Single(a => a.ObjectId == DemoTenant.ObjectId(9)).OwnersOf(OwnerKind.Entra).Count());
    }

    [Fact]
    public async Task ADisabledOwner_IsInactive()
    {
        var apps = await ToListAsync(Directory(_server.BaseAddress).GetApplicationsAsync());

        var diego = Assert.Single(apps.Single(a => a.ObjectId == DemoTenant.ObjectId(8)).OwnersOf(OwnerKind.Entra));
        Assert.Equal(DemoTenant.Diego, diego.ObjectId);
        Assert.True(diego.IsInactive);
    }

    [Fact]
    public async Task ServicePrincipals_IncludeSamlApps_AndSkipThoseWithNothingToManage()
    {
        _tenant.Add(new SimObject { Id = "sp-first-party", AppId = "00000003-0000-0000-c000-000000000000", DisplayName = "Microsoft Graph", Kind = SimObjectKind.ServicePrincipal });

        var principals = await ToListAsync(Directory(_server.BaseAddress).GetServicePrincipalsAsync());

        Assert.Equal(5, principals.Count);
        Assert.Contains(principals, p => p.DisplayName == "Contoso SSO (SAML)" && p.Credentials.Single().Kind == CredentialKind.Certificate);
        Assert.DoesNotContain(principals, p => p.DisplayName == "Microsoft Graph");
    }

    [Fact]
    public async Task Throttling_IsRetried_AndGivesTheSameResultAsACleanRun()
    {
        await using var flaky = await SimulatorServer.StartAsync(_tenant, new SimulatorOptions { FailEveryNthRequest = 3, FailureStatus = 429, RetryAfterSeconds = 0 });

        var clean = await ToListAsync(Directory(_server.BaseAddress).GetApplicationsAsync());
        var throttled = await ToListAsync(Directory(flaky.BaseAddress).GetApplicationsAsync());

        Assert.Equal(clean.Select(Summary), throttled.Select(Summary));
    }

    [Theory]
    [InlineData(DemoTenant.Alex)]
    [InlineData("alexw@example.com")]
    [InlineData("  ALEXW@example.com ")]
    public async Task APerson_IsFoundByIdUpnOrMail(string key)
    {
        var person = await Directory(_server.BaseAddress).FindPersonAsync(key);

        Assert.Equal(DemoTenant.Alex, person?.ObjectId);
        Assert.Equal("Alex Wilber", person?.DisplayName);
        Assert.True(person?.AccountEnabled);
    }

    [Fact]
    public async Task ADisabledPerson_IsFound_AsDisabled()
    {
        Assert.False((await Directory(_server.BaseAddress).FindPersonAsync(DemoTenant.Diego))!.AccountEnabled);
    }

    [Theory]
    [InlineData("nobody@example.com")]
    [InlineData("not-an-id")]
    [InlineData("alexw@example.com/memberOf")]
    [InlineData("o'brien@example.com")]
    public async Task AnUnknownOrMalformedPerson_IsNull(string key)
    {
        Assert.Null(await Directory(_server.BaseAddress).FindPersonAsync(key));
    }

    [Fact]
    public async Task Ping_ReportsWhetherGraphAnswers()
    {
        Assert.True(await Directory(_server.BaseAddress).PingAsync());
        Assert.False(await Directory(new Uri("http://127.0.0.1:9/v1.0/")).PingAsync());
    }

    private static string Summary(App app) =>
        $"{app.ObjectId}|{app.DisplayName}|{string.Join(',', app.Credentials.Select(c => c.KeyId))}|{string.Join(',', app.Owners.Select(o => o.ObjectId))}";

    private static ITenantDirectory Directory(Uri baseAddress, params (string Key, string Value)[] settings)
    {
        var services = new ServiceCollection().AddLogging();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        services.AddTenantDirectory(configuration, _ => baseAddress);
        return services.BuildServiceProvider().GetRequiredService<ITenantDirectory>();
    }

    private static async Task<List<App>> ToListAsync(IAsyncEnumerable<App> apps)
    {
        var list = new List<App>();
        await foreach (var app in apps)
        {
            list.Add(app);
        }

        return list;
    }
}
