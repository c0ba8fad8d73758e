using CredentialBot.Admin.Compliance;
using CredentialBot.Admin.ScanNow;
using CredentialBot.Digests;
using CredentialBot.Domain;
using CredentialBot.Scanning;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Status;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;
using CredentialBot.TestKit.Time;

namespace CredentialBot.Tests.Cards;

/// <summary>
/// What people tripped over in issue 17, each pinned by a golden card (review the files' text, not only their shape)
/// and, where a sentence is the point, by an assertion that names it.
/// </summary>
public sealed class CardsPeopleRead
{
    private const string Alex = "00000000-0000-0000-0000-0000000000020";
    private static readonly DateTimeOffset Now = TestClock.DefaultStart;

    [Fact]
    public async Task Digest_DaysLeftAndStage_Agree()
    {
        var app = new AppBuilder(Now).WithIds("obj-soon", "app-soon").Named("Billing Gateway")
            .WithSecretExpiringIn(1.5, "a-day-and-a-half").WithSecretExpiringIn(0.5, "half-a-day")
            .WithOwner(OwnerKind.Technical, Alex, "Alex Wilber", canManageCredentials: true).Build();
        var notices = NotificationPlanner.Plan(app, Policy.Default, PolicyEvaluator.Evaluate(app, Policy.Default, Now));

        var card = DigestCard.ForOwner([new DigestItem(app, notices)], Now);

        var text = System.Text.Json.JsonSerializer.Serialize(card, CredentialBot.BotFramework.BotJsonContext.Default.AdaptiveCard);
        Assert.Contains("2 days left", text, StringComparison.Ordinal);
        Assert.Contains("7-day notice", text, StringComparison.Ordinal);
        Assert.Contains("1 day left", text, StringComparison.Ordinal);
        Assert.Contains("1-day notice", text, StringComparison.Ordinal);
        await GoldenCards.AssertMatchesAsync("digest-days-and-stages", card);
    }

    [Fact]
    public Task Digest_ToAdmins_WhenAnOwnerCannotBeReached() => GoldenCards.AssertMatchesAsync("digest-unreachable-owner", DigestCard.ForAdmins(
        [new DigestItem(Payroll, [new Notice("isaiah", RecipientRole.TechnicalOwner, Payroll.ObjectId, Payroll.Credentials[0].KeyId, "7", 1_007)])], Now, "Isaiah Langer"));

    [Fact]
    public Task Digest_ToAdmins_WhenThatOwnerWasReached_SaysWhen() => GoldenCards.AssertMatchesAsync("digest-owner-reached", DigestCard.OwnerReached(
        "Isaiah Langer", [new DigestItem(Payroll, [new Notice("isaiah", RecipientRole.TechnicalOwner, Payroll.ObjectId, Payroll.Credentials[0].KeyId, "7", 1_007)])], Now.AddHours(5)));

    [Fact]
    public async Task Status_RightAfterRotateNow_ShowsTheOldSecretAsReplaced_NotAsAFinding()
    {
        var app = new AppBuilder(Now).WithIds("obj-rotated", "app-rotated").Named("Payroll API")
            .WithSecretExpiringIn(3, "old-secret").WithSecretExpiringIn(180, "Rotated by CredentialBot")
            .WithOwner(OwnerKind.Technical, Alex, "Alex Wilber", canManageCredentials: true)
            .WithOwner(OwnerKind.Business, "adele", "Adele Vance").WithOwner(OwnerKind.Entra, "megan", "Megan Bowen").Build();
        var old = app.Credentials.First(c => c.DisplayName == "old-secret");
        var removal = new SecretRemoval(1, app.ObjectId, app.Kind, old.KeyId, old.DisplayName, Now.AddDays(7), Alex, "Alex Wilber", SecretRemovalStatus.Scheduled);

        var card = StatusCard.Build(app, Policy.Default, PolicyEvaluator.Evaluate(app, Policy.Default, Now), Now, removals: [removal]);

        var text = System.Text.Json.JsonSerializer.Serialize(card, CredentialBot.BotFramework.BotJsonContext.Default.AdaptiveCard);
        Assert.Contains("replaced; removed on", text, StringComparison.Ordinal);
        Assert.DoesNotContain("3 days left", text, StringComparison.Ordinal);
        Assert.DoesNotContain("expires in", text, StringComparison.Ordinal);
        Assert.Contains("Compliant", text, StringComparison.Ordinal);
        await GoldenCards.AssertMatchesAsync("status-rotated", card);
    }

    [Fact]
    public void TooFewEntraOwners_IsCapitalised()
    {
        Assert.Equal("Too few Entra owners: 0 of 1 required", new TooFewOwners("x", OwnerKind.Entra, 1, 0).Describe(Now));
        Assert.Equal("Too few business owners: 0 of 1 required", new TooFewOwners("x", OwnerKind.Business, 1, 0).Describe(Now));
    }

    [Fact]
    public Task Audit_WithNoEvents_SaysSo() => GoldenCards.AssertMatchesAsync("audit-empty", AuditCard.Build(Payroll, []));

    [Fact]
    public Task ScanNow_Finished_Delta_SaysScannedChangedAndNewNotices() => GoldenCards.AssertMatchesAsync("scan-finished-delta", ScanCard.Finished(
        "Megan Bowen", new ScanResult(0, 1, 0, Now, TimeSpan.FromSeconds(1.25), ScanMode.Delta, ScanMode.Delta), Summary()));

    [Fact]
    public Task ScanNow_Finished_Full() => GoldenCards.AssertMatchesAsync("scan-finished-full", ScanCard.Finished(
        "Megan Bowen", new ScanResult(20, 5, 14, Now, TimeSpan.FromSeconds(3.5)), Summary()));

    [Fact]
    public Task ScanNow_Running() => GoldenCards.AssertMatchesAsync("scan-running", ScanCard.Running("Megan Bowen", new ScanProgress(AppKind.Application, 1, ScanMode.Delta)));

    [Fact]
    public async Task Compliance_ThirtyDayBand_SaysItIncludesTheSevenDayOne()
    {
        var card = ComplianceCard.Build(Summary(), null);

        Assert.Contains("Expiring within 30 days (incl. 7 days)", System.Text.Json.JsonSerializer.Serialize(card, CredentialBot.BotFramework.BotJsonContext.Default.AdaptiveCard), StringComparison.Ordinal);
        await GoldenCards.AssertMatchesAsync("compliance-first", card);
    }

    [Fact]
    public Task ElevationRequested_IsTitledWithWhatWasAskedAndWhoDecides() => GoldenCards.AssertMatchesAsync("dialog-closed-elevation", DialogAnswer.Close(
        "Your request was sent to the owners of Payroll API for approval. You will get a message when someone decides. Who decides: a technical owner of Payroll API or a CredentialBot admin.",
        "You asked to rotate the credentials on Payroll API for 2 hours").ToInlineCard());

    private static App Payroll => new AppBuilder(Now)
        .WithIds("5f0c1a2b-0000-0000-0000-000000000001", "1f2e3d4c-0000-0000-0000-0000000000c9")
        .Named("Payroll API")
        .WithSecretExpiringIn(3, "prod-secret")
        .WithOwner(OwnerKind.Technical, "isaiah", "Isaiah Langer", canManageCredentials: true)
        .Build();

    private static ComplianceSummary Summary() => new(Now, 20, 5, 9, 4, 13, 3, ComplianceTally.Rules.ToDictionary(r => r, r => r.Length % 5), []);
}
