using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.Directory.Tests;

/// <summary>The tenant's app posture read through the Graph SDK from the Simulator, including what a missing permission does.</summary>
public sealed class TenantPostureTests : IAsyncLifetime
{
    private SimulatedDemoTenant _demo = null!;


    private ITenantDirectory Directory => _demo.Directory;

    public async Task InitializeAsync() => _demo = await SimulatedDemoTenant.StartAsync();

    public async Task DisposeAsync() => await _demo.DisposeAsync();

    [Fact]
    public async Task TheDemoTenant_LetsUsersRegisterAndConsent_RestrictsNoSecrets_AndHasNoAdminConsentWorkflow()
    {
        var posture = await Directory.GetTenantPostureAsync();

        Assert.True(posture.UserPermissions.Value!.UsersCanRegisterApps);
        Assert.True(posture.UserPermissions.Value.UsersCanConsent);
        Assert.False(posture.AppManagement.Value!.IsEnabled);
        Assert.True(posture.AppManagement.Value.For(AppKind.Application).LeavesPasswordsUnrestricted);
        Assert.False(posture.AdminConsentRequests.Value!.IsEnabled);
        Assert.Equal(0, _demo.Tenant.LowPriorityRequestCount);
    }

    [Fact]
    public async Task AStrictTenant_IsReadRestrictionByRestriction()
    {
        _demo.Tenant.Policies.UsersCanRegisterApps = false;
        _demo.Tenant.Policies.PermissionGrantPoliciesAssigned.Clear();
        _demo.Tenant.Policies.AdminConsentRequestsEnabled = true;
        var policy = _demo.Tenant.Policies.AppManagement;
        policy.IsEnabled = true;
        policy.ApplicationPasswords.Add(new SimRestriction("passwordAddition", RestrictForAppsCreatedAfter: new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        policy.ApplicationPasswords.Add(new SimRestriction("passwordLifetime", TimeSpan.FromDays(90)));
        policy.ApplicationPasswords.Add(new SimRestriction("customPasswordAddition", State: "disabled"));
        policy.ApplicationKeys.Add(new SimRestriction("asymmetricKeyLifetime", TimeSpan.FromDays(365)));
        policy.ServicePrincipalPasswords.Add(new SimRestriction("passwordLifetime", TimeSpan.FromDays(30)));

        var posture = await Directory.GetTenantPostureAsync();

        Assert.False(posture.UserPermissions.Value!.UsersCanRegisterApps);
        Assert.False(posture.UserPermissions.Value.UsersCanConsent);
        Assert.True(posture.AdminConsentRequests.Value!.IsEnabled);
        var applications = posture.AppManagement.Value!.For(AppKind.Application);
        Assert.True(applications.BlocksPasswords);
        Assert.False(applications.BlocksCustomPasswords);
        Assert.Equal(TimeSpan.FromDays(90), applications.MaxPasswordLifetime);
        Assert.Equal(TimeSpan.FromDays(365), applications.MaxCertificateLifetime);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), applications.Passwords.Single(r => r.Type == CredentialRestrictionTypes.PasswordAddition).ForAppsCreatedAfter);
        Assert.Equal(TimeSpan.FromDays(30), posture.AppManagement.Value.For(AppKind.ServicePrincipal).MaxPasswordLifetime);
    }

    [Fact]
    public async Task RestrictionsOfAPolicyThatIsOff_BindNothing()
    {
        _demo.Tenant.Policies.AppManagement.ApplicationPasswords.Add(new SimRestriction("passwordAddition"));

        var settings = (await Directory.GetTenantPostureAsync()).AppManagement.Value!;

        Assert.Single(settings.Applications.Passwords);
        Assert.False(settings.For(AppKind.Application).BlocksPasswords);
    }

    [Fact]
    public async Task WithoutPolicyReadAll_EachPartNamesThePermission_AndNothingThrows()
    {
        _demo.Tenant.GrantedPermissions = new HashSet<string> { "Application.Read.All", "User.Read.All" };

        var posture = await Directory.GetTenantPostureAsync();

        foreach (var refusal in new[] { posture.UserPermissions.Refusal, posture.AppManagement.Refusal, posture.AdminConsentRequests.Refusal })
        {
            Assert.Equal(DirectoryRefusalKind.MissingPermission, refusal?.Kind);
            Assert.Equal("Policy.Read.All", refusal?.RequiredPermission);
            Assert.Contains("Policy.Read.All", refusal?.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task APermissionForOnePolicy_ReadsThatPolicy_AndRefusesOnlyTheOthers()
    {
        _demo.Tenant.GrantedPermissions = new HashSet<string> { "Policy.Read.ApplicationConfiguration" };
        _demo.Tenant.SecretLifetimeLimit = TimeSpan.FromDays(180);

        var posture = await Directory.GetTenantPostureAsync();

        Assert.Equal(TimeSpan.FromDays(180), posture.AppManagement.Value?.For(AppKind.Application).MaxPasswordLifetime);
        Assert.True(posture.UserPermissions.IsRefused);
        Assert.True(posture.AdminConsentRequests.IsRefused);
    }

    [Fact]
    public async Task AGraphThatDoesNotAnswer_GivesUnavailableParts_NotAnException()
    {
        var posture = await _demo.WhileGraphIsDownAsync(() => Directory.GetTenantPostureAsync());

        Assert.Equal(DirectoryRefusalKind.Unavailable, posture.UserPermissions.Refusal?.Kind);
        Assert.Equal(DirectoryRefusalKind.Unavailable, posture.AppManagement.Refusal?.Kind);
        Assert.Equal(DirectoryRefusalKind.Unavailable, posture.AdminConsentRequests.Refusal?.Kind);
    }

    [Fact]
    public async Task CancellingTheRead_Cancels_RatherThanReportingUnavailable()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Directory.GetTenantPostureAsync(cancelled.Token));
    }
}
