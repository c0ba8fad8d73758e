using CredentialBot.Admin.Compliance;
using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.Store.Services;
using Microsoft.Extensions.DependencyInjection;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The compliance summary reviews the tenant's own settings (issue 14.2): each finding with a why and an Entra admin
/// center link, changes between scans kept and shown, and a permission not granted named instead of failing.
/// </summary>
public sealed class ReviewingTenantPosture : IAsyncLifetime
{
    private readonly BotHost _bot = new BotHost().With("Authorization:AdminGroupIds:0", DemoTenant.AdminGroup);

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task AnAdminSeesEveryPostureFinding_WithWhyAndTheAdminCenterLink()
    {
        await _bot.ScanAndSeedAsync();
        await SnapshotAsync();

        var card = await AskComplianceAsync();
        var text = AllText(card);

        Assert.Contains("Tenant posture", text, StringComparison.Ordinal);
        Assert.Contains("**Users can register apps**: Yes: any member can create an app registration", text, StringComparison.Ordinal);
        Assert.Contains("**Users can consent to apps**: Yes, under microsoft-user-default-legacy.", text, StringComparison.Ordinal);
        Assert.Contains("**App-management policy**: Off: nothing limits secrets or certificates tenant-wide.", text, StringComparison.Ordinal);
        Assert.Contains("**Admin consent workflow**: Off:", text, StringComparison.Ordinal);
        Assert.Contains("**Credentials longer than allowed**:", text, StringComparison.Ordinal);
        Assert.Contains($"**App registrations without an owner**: {await UnownedAppRegistrationsAsync()}", text, StringComparison.Ordinal);
        Assert.Contains($"[Open in the Entra admin center]({AdminCenterLinks.UserSettings})", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Posture changes since the previous scan", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenTheTenantTightensItsSettings_TheNextSummaryShowsWhatChanged()
    {
        await _bot.ScanAndSeedAsync();
        await SnapshotAsync();
        _bot.Tenant.Policies.UsersCanRegisterApps = false;
        _bot.Tenant.Policies.AdminConsentRequestsEnabled = true;
        _bot.Tenant.Policies.AppManagement.IsEnabled = true;
        _bot.Time.Advance(TimeSpan.FromDays(1));
        await SnapshotAsync();

        var text = AllText(await AskComplianceAsync());

        Assert.Contains("Posture changes since the previous scan", text, StringComparison.Ordinal);
        Assert.Contains("Users can register apps: was \"Yes: any member can create an app registration and add secrets to it.\", now \"No: only admins and Application Developers can register apps.\".", text, StringComparison.Ordinal);
        Assert.Contains("Admin consent workflow: was \"Off:", text, StringComparison.Ordinal);
        Assert.Contains("App-management policy: was \"Off:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Users can consent to apps: was", text, StringComparison.Ordinal);
        await using var scope = _bot.Services.CreateAsyncScope();
        var (latest, previous) = await scope.ServiceProvider.GetRequiredService<PostureHistory>().LatestAsync();
        Assert.True(latest!.At >= previous!.At.AddDays(1));
        Assert.Equal(PostureRating.AtRisk, previous.Findings.Single(f => f.Check == PostureChecks.AppRegistration).Rating);
    }

    [Fact]
    public async Task WithoutPolicyReadAll_TheSummaryNamesThePermission_AndEverythingElseStillShows()
    {
        _bot.Tenant.GrantedPermissions = new HashSet<string>(StringComparer.Ordinal) { "Application.Read.All", "User.Read.All", "GroupMember.Read.All" };
        await _bot.ScanAndSeedAsync();
        await SnapshotAsync();

        var text = AllText(await AskComplianceAsync());

        Assert.Contains("25 (20 app registrations, 5 enterprise applications)", text, StringComparison.Ordinal);
        Assert.Contains("**Users can register apps**: Not checked: CredentialBot lacks the Graph permission Policy.Read.All.", text, StringComparison.Ordinal);
        Assert.Contains("**Admin consent workflow**: Not checked: CredentialBot lacks the Graph permission Policy.Read.All.", text, StringComparison.Ordinal);
        Assert.Contains("the tenant's own limits could not be read", text, StringComparison.Ordinal);
        Assert.Contains(_bot.Logs.Lines, m => m.Contains("grant the Graph permission Policy.Read.All", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APostureReview_CountsOverlongCredentialsAgainstTheTenantsLimit_OnceItIsReadable()
    {
        await _bot.ScanAndSeedAsync();
        _bot.Tenant.Policies.AppManagement.IsEnabled = true;
        _bot.Tenant.Policies.AppManagement.ApplicationPasswords.Add(new SimRestriction("passwordLifetime", TimeSpan.FromDays(30)));
        await SnapshotAsync();

        var text = AllText(await AskComplianceAsync());

        Assert.Contains("**App-management policy**: On, for app registrations: secrets at most 30 days", text, StringComparison.Ordinal);
        Assert.Matches(@"\*\*Credentials longer than allowed\*\*: [1-9][0-9]* apps? ha(s|ve) a live credential that lives longer than its CredentialBot policy or the tenant's app-management policy allows\.", text);
    }

    private async Task SnapshotAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ComplianceReport>().SnapshotAsync(CancellationToken.None);
    }

    private async Task<string> UnownedAppRegistrationsAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        var count = 0;
        await foreach (var judged in scope.ServiceProvider.GetRequiredService<ComplianceReport>().EvaluateAllAsync())
        {
            count += judged.App is { Kind: AppKind.Application, Owners.Count: 0 } ? 1 : 0;
        }

        Assert.True(count > 0, "the demo tenant is expected to hold an app registration nobody owns");
        return count == 1 ? "1 app registration has no owner at all." : $"{count} app registrations have no owner at all.";
    }

    private async Task<System.Text.Json.JsonElement> AskComplianceAsync()
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync("compliance", BotHost.Megan, "Megan Bowen");
        return (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
    }
}
