using System.Text.Json;
using CredentialBot.Admin.Compliance;
using CredentialBot.Domain;
using CredentialBot.Scanning;
using CredentialBot.Simulator;
using CredentialBot.Store.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// A scan that lists both collections in full judges every App as it writes it, and keeps the compliance summary and the
/// posture from those judgements instead of walking the store again afterwards. What it keeps must be what a walk of the
/// store finds — also when someone's action changed an App while the listing ran — and a delta round, which sees only
/// changes, still walks.
/// </summary>
public sealed class CountingTheCatalogAsItIsListed : IAsyncLifetime
{
    private static readonly string Zscaler = DemoTenant.ObjectId(23);

    private readonly BotHost _bot = new BotHost().With("Scanner:BatchSize", "10");

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        await _bot.ScanAndSeedAsync();
        _bot.Tenant.Policies.AppManagement.IsEnabled = true;
        _bot.Tenant.Policies.AppManagement.ApplicationPasswords.Add(new SimRestriction("passwordLifetime", TimeSpan.FromDays(30)));
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task AFullScan_KeepsTheSummaryAndPostureThatAWalkOfTheStoreFinds()
    {
        _bot.Tenant.ExpireDeltaTokens();

        var attempt = await ScanAsync();
        var walked = await WalkAsync();

        Assert.True(attempt.Result!.ListedInFull);
        Assert.Equal(Json(walked.Summary), Json(attempt.Summary!));
        Assert.Equal(Json(walked.Posture), Json(walked.PostureBefore));
        Assert.Contains(walked.Posture.Findings, f => f.Check == PostureChecks.OverlongCredentials && f.Rating != PostureRating.Good);
        Assert.True(attempt.Summary!.Total >= 20, "the demo tenant's Apps were all counted");
    }

    [Fact]
    public async Task AnAppChangedByAnActionWhileTheListingRuns_IsCountedAsTheStoreHoldsIt()
    {
        _bot.Tenant.ExpireDeltaTokens();
        var before = await WalkAsync();

        // After the first batch of app registrations is stored, a rotation's confirmed change adds a three-day secret to a
        // service principal. The listing reads the service principals later, without it, from a read that began earlier.
        var attempt = await ScanAsync(new AfterFirstBatch(() => ChangeAsync(Zscaler, app => app with
        {
            Credentials = [.. app.Credentials, new Credential("rotated-key", CredentialKind.Secret, "rotated", _bot.Time.GetUtcNow(), _bot.Time.GetUtcNow().AddDays(3))],
        })));
        var walked = await WalkAsync();

        Assert.True(attempt.Result!.ListedInFull);
        Assert.Contains("rotated", (await StoredAsync(Zscaler)).Credentials.Select(c => c.DisplayName));
        Assert.Equal(before.Summary.ExpiringWithin7Days + 1, attempt.Summary!.ExpiringWithin7Days);
        Assert.Equal(Json(walked.Summary), Json(attempt.Summary));
    }

    [Fact]
    public async Task ADeltaRound_SeesOnlyChanges_SoItsSummaryComesFromAWalk()
    {
        var unowned = DemoTenant.ObjectId(23);
        var before = await WalkAsync();
        await using (var scope = _bot.Services.CreateAsyncScope())
        {
            var megan = _bot.Tenant.FindUser(BotHost.Megan)!;
            await scope.ServiceProvider.GetRequiredService<OwnershipStore>().AddOwnerAsync(unowned, new Owner(OwnerKind.Technical, megan.Id, megan.DisplayName, megan.UserPrincipalName, true, false));
        }

        var attempt = await ScanAsync();

        Assert.False(attempt.Result!.ListedInFull);
        Assert.Equal(before.Summary.NonCompliantByRule["Too few technical owners"] - 1, attempt.Summary!.NonCompliantByRule["Too few technical owners"]);
        Assert.Equal(Json((await WalkAsync()).Summary), Json(attempt.Summary));
    }

    private async Task<ScanAttempt> ScanAsync(IProgress<ScanProgress>? progress = null) =>
        await _bot.Services.GetRequiredService<ScanCoordinator>().TryRunAsync("test scan", CancellationToken.None, progress);

    /// <summary>A walk of the store, kept as the latest snapshot; with the compliance and posture snapshots before it.</summary>
    private async Task<(ComplianceSummary Summary, TenantPostureReport Posture, TenantPostureReport PostureBefore)> WalkAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        var summary = await scope.ServiceProvider.GetRequiredService<ComplianceReport>().SnapshotAsync(CancellationToken.None);
        var (posture, before) = await scope.ServiceProvider.GetRequiredService<PostureHistory>().LatestAsync();
        return (summary, posture!, before ?? posture!);
    }

    private async Task ChangeAsync(string objectId, Func<App, App> change)
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<AppCatalog>().ChangeSnapshotAsync(objectId, change, _bot.Time.GetUtcNow().AddSeconds(1)));
    }

    private async Task<App> StoredAsync(string objectId)
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<AppCatalog>().GetAsync(objectId))!;
    }

    // Snapshots are compared without their time, which is not what is being checked.
    private static string Json(ComplianceSummary summary) => JsonSerializer.Serialize(summary with { At = default });

    private static string Json(TenantPostureReport report) => JsonSerializer.Serialize(report with { At = default });

    /// <summary>Runs an action once, on the scan's own thread, right after its first stored batch.</summary>
    private sealed class AfterFirstBatch(Func<Task> action) : IProgress<ScanProgress>
    {
        private int _reports;

        public void Report(ScanProgress value)
        {
            if (Interlocked.Increment(ref _reports) == 1)
            {
                action().GetAwaiter().GetResult();
            }
        }
    }
}
