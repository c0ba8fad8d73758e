using System.Net.Http.Json;
using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.Directory.Tests;

/// <summary>When an App's credentials were last used, from the Simulator's beta usage reports, and what a tenant without them gets.</summary>
public sealed class ReadingCredentialUsage : IAsyncLifetime
{
    private SimulatedDemoTenant _demo = null!;


    private ITenantDirectory Directory => _demo.Directory;

    public async Task InitializeAsync() => _demo = await SimulatedDemoTenant.StartAsync();

    public async Task DisposeAsync() => await _demo.DisposeAsync();

    private async Task<App> AppAsync(int n) =>
        (await _demo.Services.GetRequiredService<ITenantAdministration>().GetAppAsync(AppKind.Application, DemoTenant.ObjectId(n)))!;

    [Fact]
    public async Task EachCredential_HasItsLastSignIn_OrNoneWhenNeverUsed()
    {
        var payroll = await AppAsync(1);
        var secret = payroll.Credentials.Single(c => c.Kind == CredentialKind.Secret);
        var certificate = payroll.Credentials.Single(c => c.Kind == CredentialKind.Certificate);

        var usage = (await Directory.GetCredentialUsageAsync(payroll)).Value!;

        Assert.Equal(_demo.Time.GetUtcNow().AddHours(-1), usage.LastUseOf(secret.KeyId));
        Assert.Null(usage.LastUseOf(certificate.KeyId));
        Assert.Equal(payroll.Credentials.Select(c => c.KeyId), usage.Credentials.Select(c => c.KeyId));
        Assert.Equal(_demo.Time.GetUtcNow().AddHours(-1), usage.AppLastSignIn);
        Assert.Equal(0, _demo.Tenant.LowPriorityRequestCount);
    }

    [Fact]
    public async Task ASignInRecordedOverHttp_IsTheLatest_AndOnlyItsAppsCredentialsAreListed()
    {
        var ingest = await AppAsync(4);
        var keyId = ingest.Credentials.Single().KeyId;
        var later = _demo.Time.GetUtcNow().AddMinutes(-5);
        using var http = new HttpClient();
        using (var recorded = await http.PostAsJsonAsync(new Uri(_demo.Server.BaseAddress, "/_simulator/signins"), new SimSignIn(ingest.AppId, keyId, later)))
        {
            recorded.EnsureSuccessStatusCode();
        }

        _demo.Tenant.SignIns.Record(ingest.AppId, keyId, later.AddDays(-3));
        var usage = (await Directory.GetCredentialUsageAsync(ingest)).Value!;

        Assert.Equal(later, Assert.Single(usage.Credentials).LastSignIn);
        Assert.Equal(later, usage.AppLastSignIn);
    }

    [Fact]
    public async Task ATenantWithoutP1OrP2_IsToldSo()
    {
        _demo.Tenant.SignIns.Licensed = false;

        var refusal = (await Directory.GetCredentialUsageAsync(await AppAsync(1))).Refusal;

        Assert.Equal(DirectoryRefusalKind.NotLicensed, refusal?.Kind);
        Assert.Contains("P1 or P2", refusal?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAuditLogReadAll_TheRefusalNamesIt()
    {
        _demo.Tenant.GrantedPermissions = new HashSet<string> { "Application.Read.All" };

        var refusal = (await Directory.GetCredentialUsageAsync(await AppAsync(1))).Refusal;

        Assert.Equal((DirectoryRefusalKind.MissingPermission, "AuditLog.Read.All"), (refusal?.Kind, refusal?.RequiredPermission));
    }

    [Fact]
    public async Task AnUnreachableGraph_IsUnavailable_NotAnException()
    {
        var app = await AppAsync(1);

        var refusal = (await _demo.WhileGraphIsDownAsync(() => Directory.GetCredentialUsageAsync(app))).Refusal;

        Assert.Equal(DirectoryRefusalKind.Unavailable, refusal?.Kind);
    }

    [Fact]
    public async Task AnAppIdWithAQuote_CannotWidenTheReportsFilter()
    {
        var app = await AppAsync(1) with { AppId = $"{DemoTenant.AppId(1)}' or appId ne '" };

        var usage = (await Directory.GetCredentialUsageAsync(app)).Value!;

        Assert.All(usage.Credentials, c => Assert.Null(c.LastSignIn));
        Assert.Null(usage.AppLastSignIn);
    }

    [Fact]
    public async Task TheTenantWideListing_HasEveryUsedCredentialOfEveryApp()
    {
        var payrollSecret = (await AppAsync(1)).Credentials.Single(c => c.Kind == CredentialKind.Secret).KeyId;
        var ingestCertificate = (await AppAsync(4)).Credentials.Single().KeyId;

        var usage = (await Directory.GetTenantCredentialUsageAsync()).Value!;

        Assert.Equal(_demo.Time.GetUtcNow().AddHours(-1), usage.LastUseOf(payrollSecret));
        Assert.Equal(_demo.Time.GetUtcNow().AddDays(-21), usage.LastUseOf(ingestCertificate));
        Assert.Equal(2, usage.LastUseByKeyId.Count);
    }

    [Fact]
    public async Task TheTenantWideListing_IsRefusedLikeThePerAppOne()
    {
        _demo.Tenant.SignIns.Licensed = false;

        Assert.Equal(DirectoryRefusalKind.NotLicensed, (await Directory.GetTenantCredentialUsageAsync()).Refusal?.Kind);
    }
}
