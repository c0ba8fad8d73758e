using CredentialBot.Directory;
using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.Directory.Tests;

/// <summary>Tenant changes through the Graph SDK, against the Simulator over real HTTP.</summary>
public sealed class GraphTenantAdministrationTests : IAsyncLifetime
{
    private static readonly string Payroll = DemoTenant.ObjectId(1);
    private readonly FakeTimeProvider _time = new(TestClock.DefaultStart);
    private SimulatorTenant _tenant = null!;
    private SimulatorServer _server = null!;
    private ITenantAdministration _administration = null!;

    public async Task InitializeAsync()
    {
        _tenant = DemoTenant.Create(_time);
        _server = await SimulatorServer.StartAsync(_tenant);
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(_time);
        services.AddTenantDirectory(new ConfigurationBuilder().Build(), _ => _server.BaseAddress);
        _administration = services.BuildServiceProvider().GetRequiredService<ITenantAdministration>();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AddSecret_ReturnsTheValueOnce_AndRemoveSecretRemovesIt()
    {
        var secret = await _administration.AddSecretAsync(AppKind.Application, Payroll, "rotated", _time.GetUtcNow().AddDays(90));

        var added = _tenant.Find(Payroll)!.PasswordCredentials.Single(c => c.KeyId == secret.KeyId);
        Assert.Equal(added.Hint, secret.Value[..3]);
        Assert.Equal("rotated", added.DisplayName);
        Assert.DoesNotContain(secret.Value, secret.ToString(), StringComparison.Ordinal);

        Assert.True(await _administration.RemoveSecretAsync(AppKind.Application, Payroll, secret.KeyId));
        Assert.False(await _administration.RemoveSecretAsync(AppKind.Application, Payroll, secret.KeyId));
        Assert.False(await _administration.RemoveSecretAsync(AppKind.Application, Payroll, "not-a-guid"));
    }

    [Fact]
    public async Task AddSecret_ReturnsTheCredentialAsGraphCreatedIt_SoTheSnapshotNeedsNoSecondRead()
    {
        var before = await _administration.GetAppAsync(AppKind.Application, Payroll);
        var requestsBefore = _tenant.RequestCount;

        var secret = await _administration.AddSecretAsync(AppKind.Application, Payroll, "rotated", _time.GetUtcNow().AddDays(90));
        var updated = secret.AddedTo(before!);

        Assert.Equal(1, _tenant.RequestCount - requestsBefore);
        Assert.Equal(_tenant.Find(Payroll)!.PasswordCredentials.Single(c => c.KeyId == secret.KeyId).Hint, secret.Hint);
        Assert.Equal(("rotated", true), (secret.Credential.DisplayName, secret.Credential.StartsAt.HasValue));
        // What a second read would have shown is exactly what addPassword's answer gives.
        Assert.Equal(
            (await _administration.GetAppAsync(AppKind.Application, Payroll))!.Credentials.OrderBy(c => c.KeyId, StringComparer.Ordinal),
            updated.Credentials.OrderBy(c => c.KeyId, StringComparer.Ordinal));
        Assert.DoesNotContain(secret.Value, secret.Credential.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetApp_ReadsEveryOwner_AndCertificates_WithoutSelectingKeyCredentials()
    {
        await using var limited = await SimulatorServer.StartAsync(_tenant, new SimulatorOptions { Limits = new GraphLimits { KeyCredentialRequests = 1 } });
        await using var services = TestDirectory.Build(limited.BaseAddress);
        var administration = services.GetRequiredService<ITenantAdministration>();

        var shared = await administration.GetAppAsync(AppKind.Application, DemoTenant.ObjectId(9));
        var payroll = await administration.GetAppAsync(AppKind.Application, Payroll);
        var again = await administration.GetAppAsync(AppKind.Application, Payroll);

        Assert.Equal(27, shared!.OwnersOf(OwnerKind.Entra).Count());
        Assert.Contains(payroll!.Credentials, c => c.Kind == CredentialKind.Certificate && c.DisplayName == "CN=payroll-api");
        Assert.Equal(payroll.Credentials, again!.Credentials);
        var stats = await TestDirectory.StatsAsync(limited);
        Assert.Equal(0, stats["keyCredentialRequests"]);
        Assert.Equal(0, stats["throttled"]);
    }

    [Fact]
    public async Task EntraOwners_AreAddedAndRemoved_ThroughOwnersRef()
    {
        await _administration.AddEntraOwnerAsync(AppKind.Application, Payroll, DemoTenant.Isaiah);
        Assert.Contains(DemoTenant.Isaiah, _tenant.Find(Payroll)!.OwnerIds);

        Assert.True(await _administration.RemoveEntraOwnerAsync(AppKind.Application, Payroll, DemoTenant.Isaiah));
        Assert.False(await _administration.RemoveEntraOwnerAsync(AppKind.Application, Payroll, DemoTenant.Isaiah));
    }

    [Fact]
    public async Task GroupMembership_IsTransitive()
    {
        Assert.True(await _administration.IsMemberOfAnyAsync(DemoTenant.Megan, [DemoTenant.AdminGroup]));
        Assert.False(await _administration.IsMemberOfAnyAsync(DemoTenant.Alex, [DemoTenant.AdminGroup]));
    }

    [Fact]
    public async Task ThePeopleOfAGroup_AreListedThroughNestedGroups_OnlyUsers_EachOnce()
    {
        _tenant.AddGroup(new SimGroup("group-outer", "Outer", [DemoTenant.AdminGroup, DemoTenant.Alex, "group-inner", Payroll]));
        _tenant.AddGroup(new SimGroup("group-inner", "Inner", [DemoTenant.Alex, DemoTenant.Adele]));

        var people = await _administration.ListUsersInGroupAsync("group-outer", 10);

        Assert.Equal(new[] { DemoTenant.Alex, DemoTenant.Megan, DemoTenant.Adele }.Order(StringComparer.Ordinal), people.Order(StringComparer.Ordinal));
        Assert.Empty(await _administration.ListUsersInGroupAsync("no-such-group", 10));
    }

    [Fact]
    public async Task ABigGroup_IsListedAcrossPages_UpToTheMostAskedFor()
    {
        var many = Enumerable.Range(0, 1_500).Select(i => _tenant.AddUser(new SimUser($"many-{i:D4}", $"Person {i}", $"p{i}@example.com", $"p{i}@example.com")).Id).ToList();
        _tenant.AddGroup(new SimGroup("group-many", "Many", many));

        Assert.Equal(many, await _administration.ListUsersInGroupAsync("group-many", 2_000));
        Assert.Equal(many[..1_200], await _administration.ListUsersInGroupAsync("group-many", 1_200));
        Assert.Equal(many[..3], await _administration.ListUsersInGroupAsync("group-many", 3));
    }

    [Fact]
    public async Task GetApp_ReadsOneAppWithItsOwners_OrNullWhenGone()
    {
        var app = await _administration.GetAppAsync(AppKind.Application, Payroll);

        Assert.Equal("Payroll API", app!.DisplayName);
        Assert.Equal(2, app.OwnersOf(OwnerKind.Entra).Count());
        Assert.Null(await _administration.GetAppAsync(AppKind.Application, "does-not-exist"));
    }

    [Fact]
    public async Task ThePimRequest_IsATimeBoundAssignmentScopedToTheApp()
    {
        var id = await _administration.AssignTimeBoundRoleAsync(DemoTenant.Alex, "role-1", Payroll, _time.GetUtcNow(), TimeSpan.FromHours(2), "release", "CHG1");

        var request = Assert.Single(_tenant.RoleAssignmentRequests);
        Assert.Equal((id, "adminAssign", "/" + Payroll, TimeSpan.FromHours(2), "CHG1"), (request.Id, request.Action, request.DirectoryScopeId, request.Duration, request.TicketNumber));
    }

    [Fact]
    public async Task TheTenantsSecretLifetimeLimit_IsReadWhenSet()
    {
        _tenant.SecretLifetimeLimit = TimeSpan.FromDays(90);

        Assert.Equal(TimeSpan.FromDays(90), await _administration.GetSecretLifetimeLimitAsync());
    }

    [Fact]
    public async Task TheTenantsSecretLifetimeLimit_IsReadOnceForFiveMinutes_ThenAgain()
    {
        Assert.Null(await _administration.GetSecretLifetimeLimitAsync());
        var requests = _tenant.RequestCount;
        _tenant.SecretLifetimeLimit = TimeSpan.FromDays(90);

        _time.Advance(GraphTenantAdministration.LifetimeLimitKeptFor - TimeSpan.FromSeconds(1));
        Assert.Null(await _administration.GetSecretLifetimeLimitAsync());
        Assert.Equal(requests, _tenant.RequestCount);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromDays(90), await _administration.GetSecretLifetimeLimitAsync());
        Assert.Equal(requests + 1, _tenant.RequestCount);
    }

    [Fact]
    public async Task ALimitTightenedAfterItWasRead_StillStopsALongerSecret_AndIsReadAfreshAfterTheRefusal()
    {
        Assert.Null(await _administration.GetSecretLifetimeLimitAsync());
        _tenant.SecretLifetimeLimit = TimeSpan.FromDays(90);
        var before = _tenant.Find(Payroll)!.PasswordCredentials.Count;

        await Assert.ThrowsAsync<ODataError>(() => _administration.AddSecretAsync(AppKind.Application, Payroll, "rotated", _time.GetUtcNow().AddDays(180)));

        Assert.Equal(before, _tenant.Find(Payroll)!.PasswordCredentials.Count);
        Assert.Equal(TimeSpan.FromDays(90), await _administration.GetSecretLifetimeLimitAsync());
    }
}
