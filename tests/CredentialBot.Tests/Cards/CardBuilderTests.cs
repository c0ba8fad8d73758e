using CredentialBot.Admin.Compliance;
using CredentialBot.Admin.Policies;
using CredentialBot.AppRequests;
using CredentialBot.Conversation;
using CredentialBot.Digests;
using CredentialBot.Domain;
using CredentialBot.Elevation;
using CredentialBot.Ownership;
using CredentialBot.Requests;
using CredentialBot.Rotation;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Status;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;
using CredentialBot.TestKit.Time;

namespace CredentialBot.Tests.Cards;

/// <summary>Every card the bot sends, pinned by a golden file.</summary>
public sealed class CardBuilderTests
{
    private const string Alex = "00000000-0000-0000-0000-0000000000020";
    private static readonly DateTimeOffset Now = TestClock.DefaultStart;

    private static App Payroll => new AppBuilder(Now)
        .WithIds("5f0c1a2b-0000-0000-0000-000000000001", "1f2e3d4c-0000-0000-0000-0000000000c9")
        .Named("Payroll API")
        .WithSecretExpiringIn(3, "prod-secret")
        .WithCertificateExpiringIn(200, "CN=payroll")
        .WithOwner(OwnerKind.Entra, Alex, "Alex Wilber")
        .WithOwner(OwnerKind.Technical, "00000000-0000-0000-0000-0000000000021", "Megan Bowen", canManageCredentials: true)
        .WithOwner(OwnerKind.Business, "00000000-0000-0000-0000-0000000000022", "Adele Vance")
        .Build();

    private static App Expenses => new AppBuilder(Now)
        .WithIds("5f0c1a2b-0000-0000-0000-000000000002", "2a2e3d4c-0000-0000-0000-0000000000aa")
        .Named("Contoso Expenses")
        .WithSecretExpiringIn(-4, "legacy-secret")
        .WithOwner(OwnerKind.Technical, Alex, "Alex Wilber", canManageCredentials: true)
        .WithOwner(OwnerKind.Entra, "gone", "Debra Berger", enabled: false)
        .Build();

    private static App Portal => new AppBuilder(Now)
        .WithIds("5f0c1a2b-0000-0000-0000-000000000003", "3b2e3d4c-0000-0000-0000-0000000000bb")
        .Named("HR Portal")
        .AsServicePrincipal()
        .WithOwner(OwnerKind.Business, Alex, "Alex Wilber")
        .Build();

    [Fact]
    public Task Welcome_PersonalChat() => GoldenCards.AssertMatchesAsync("welcome-personal", WelcomeCard.Build("Alex Wilber", personalChat: true));

    [Fact]
    public Task Welcome_Channel() => GoldenCards.AssertMatchesAsync("welcome-channel", WelcomeCard.Build(null, personalChat: false));

    [Fact]
    public async Task Help_ListsTheCommandTable()
    {
        CommandRegistration[] commands = [Registered<HelpCommand>(), Registered<MyAppsCommand>(), Registered<StatusCommand>(), Registered<ElevateCommand>(), Registered<AuditCommand>(), Registered<RequestAppCommand>()];

        await GoldenCards.AssertMatchesAsync("help", HelpCard.Build(new CommandTable(commands).Commands));
    }

    [Fact]
    public Task MyApps_SeveralApps_MostUrgentFirst() => GoldenCards.AssertMatchesAsync("my-apps", MyAppsCard.Build([Portal, Payroll, Expenses], Alex, Now));

    [Fact]
    public Task MyApps_None() => GoldenCards.AssertMatchesAsync("my-apps-none", MyAppsCard.Build([], Alex, Now));

    [Fact]
    public async Task MyApps_MoreThanFitOnACard_ShowsTheMostUrgentAndSaysHowManyMore()
    {
        var many = Enumerable.Range(1, 60)
            .Select(i => new AppBuilder(Now).WithIds($"obj-{i:D3}", $"appid-{i:D3}").Named($"Generated App {i:D3}").WithSecretExpiringIn(i).WithOwner(OwnerKind.Entra, Alex).Build())
            .ToList();

        await GoldenCards.AssertMatchesAsync("my-apps-many", MyAppsCard.Build(many, Alex, Now));
    }

    [Fact]
    public async Task Status_AppWithFindings()
    {
        var policy = Policy.Default;
        await GoldenCards.AssertMatchesAsync("status-findings", StatusCard.Build(Expenses, policy, PolicyEvaluator.Evaluate(Expenses, policy, Now), Now));
    }

    [Fact]
    public async Task Status_CompliantApp()
    {
        var app = new AppBuilder(Now).WithIds("obj-ok", "appid-ok").Named("Data Lake Ingest").WithSecretExpiringIn(300, "ingest").WithFullOwnership().Build();

        await GoldenCards.AssertMatchesAsync("status-compliant", StatusCard.Build(app, Policy.Default, PolicyEvaluator.Evaluate(app, Policy.Default, Now), Now));
    }

    [Fact]
    public Task Status_ServicePrincipalWithoutCredentials() =>
        GoldenCards.AssertMatchesAsync("status-no-credentials", StatusCard.Build(Portal, Policy.Default, PolicyEvaluator.Evaluate(Portal, Policy.Default, Now), Now));

    [Fact]
    public Task Choices_WhenSeveralAppsMatch() => GoldenCards.AssertMatchesAsync("app-choices", AppChoicesCard.Build("payroll [x]", [Payroll, Expenses, Portal]));

    [Fact]
    public Task Digest_GroupsAPersonsCredentialsByApp_MostUrgentFirst() => GoldenCards.AssertMatchesAsync("digest", DigestCard.ForOwner(
    [
        new DigestItem(Expenses, [new Notice(Alex, RecipientRole.TechnicalOwner, Expenses.ObjectId, Expenses.Credentials[0].KeyId, Notice.ExpiredStage, 0)], "Finance apps"),
        new DigestItem(Payroll, [new Notice(Alex, RecipientRole.EntraOwner, Payroll.ObjectId, Payroll.Credentials[0].KeyId, "7", 1_007)], "Default app registrations"),
    ], Now));

    [Fact]
    public Task Digest_WithASnoozedApp_SaysWhoSnoozedItUntilWhen() => GoldenCards.AssertMatchesAsync("digest-snoozed", DigestCard.ForOwner(
        [new DigestItem(Payroll, [new Notice(Alex, RecipientRole.TechnicalOwner, Payroll.ObjectId, Payroll.Credentials[0].KeyId, "7", 1_007)])],
        Now,
        [new NoticePause(Payroll.ObjectId, Payroll.Credentials[0].KeyId, Now.AddDays(7), "Alex Wilber", Now)]));

    [Fact]
    public Task Digest_WithMoreAppsThanFit_StaysUnder28KB_AndSaysHowManyMore()
    {
        var many = Enumerable.Range(1, 14)
            .Select(i => new AppBuilder(Now).WithIds($"5f0c1a2b-7d3e-4a51-9b2c-{i:D12}", $"1f2e3d4c-5b6a-4978-8a9b-{i:D12}").Named($"A rather long application display name {i:D2}")
                .WithSecretExpiringIn(i, $"secret-{i}").WithCertificateExpiringIn(i + 1, $"CN=certificate-{i}").Build())
            .Select(app => new DigestItem(app, [.. app.Credentials.Select(c => new Notice(Alex, RecipientRole.TechnicalOwner, app.ObjectId, c.KeyId, "7", 1_007))], "Default app registrations"))
            .ToList();

        return GoldenCards.AssertMatchesAsync("digest-many", DigestCard.ForOwner(many, Now));
    }

    [Fact]
    public Task Status_ForSomeoneWhoCanRotate_OffersRotateAddAndTransfer_AndAScheduledRemoval() => GoldenCards.AssertMatchesAsync("status-actions-owner", StatusCard.Build(
        Payroll, Policy.Default, PolicyEvaluator.Evaluate(Payroll, Policy.Default, Now), Now, new StatusViewer(CanRotate: true, IsOwner: true),
        banner: "Rotated by Alex Wilber at 2026-01-05 09:00 UTC; the old secret is removed on 2026-01-12.",
        removals: [new SecretRemoval(1, Payroll.ObjectId, AppKind.Application, "key-1", "prod-secret", Now.AddDays(7), Alex, "Alex Wilber", SecretRemovalStatus.Scheduled)]));

    [Fact]
    public Task Status_ForAClientWithoutDialogs_OpensThemInTheCard() => GoldenCards.AssertMatchesAsync("status-actions-inline", StatusCard.Build(
        Payroll, Policy.Default, PolicyEvaluator.Evaluate(Payroll, Policy.Default, Now), Now, new StatusViewer(CanRotate: true, IsOwner: true, DialogButtons.Inline)));

    [Fact]
    public Task Status_ForSomeoneWhoCannotRotate_OffersElevation_AndReplacingADisabledOwner() => GoldenCards.AssertMatchesAsync("status-actions-other", StatusCard.Build(
        Expenses, Policy.Default, PolicyEvaluator.Evaluate(Expenses, Policy.Default, Now), Now, new StatusViewer(CanRotate: false, IsOwner: false)));

    [Fact]
    public Task RotateDialog_OffersLifetimesWithinThePolicy() => GoldenCards.AssertMatchesAsync("dialog-rotate", RotationCards.RotateForm(
        Payroll, Policy.Default, RotationRules.LifetimesUnder(Policy.Default, null), "key-1", Now, new DialogData(null, "rotate", Payroll.ObjectId, Card: "1736500000000")));

    [Fact]
    public Task RotateDialog_WithProblems_ListsEachOne() => GoldenCards.AssertMatchesAsync("dialog-rotate-problems", RotationCards.RotateForm(
        Payroll, Policy.Default, [30, 90], "key-1", Now, new DialogData(null, "rotate", Payroll.ObjectId), ["730 days is longer than policy Default allows (365 days at most)."]));

    [Fact]
    public Task NewSecret_IsShownOnce_WithItsKeyAndExpiry() => GoldenCards.AssertMatchesAsync("dialog-new-secret", RotationCards.NewSecret(
        Payroll, new NewSecret("6f9e1c2a-0000-4000-8000-000000000001", "example-not-a-real-secret~value", "exa", Now.AddDays(90)),
        new SecretRemoval(1, Payroll.ObjectId, AppKind.Application, "key-1", "prod-secret", Now.AddDays(7), Alex, "Alex Wilber", SecretRemovalStatus.Scheduled)));

    [Fact]
    public Task ElevateDialog_AsksForRightDurationJustificationAndTicket() => GoldenCards.AssertMatchesAsync("dialog-elevate", ElevationCards.ElevateForm(
        Payroll, Policy.Default with { Elevation = ElevationSettings.Default with { TicketRequired = true } }, AppRight.ManageCredentials, new DialogData(null, "elevate", Payroll.ObjectId)));

    [Fact]
    public Task OwnerDialog_Transfer() => GoldenCards.AssertMatchesAsync("dialog-owner-transfer", OwnershipCards.OwnerForm(Payroll, OwnerModes.Transfer, new DialogData(null, "owner", Payroll.ObjectId, Mode: "transfer")));

    [Fact]
    public Task ApprovalCard_Pending_HasApproveDenyAndRefreshForApprovers() => GoldenCards.AssertMatchesAsync("request-pending", RequestCard.Build(Elevation(), Payroll, Now, ["29:megan"]));

    [Fact]
    public Task ApprovalCard_Approved_SaysByWhomAndUntilWhen() => GoldenCards.AssertMatchesAsync("request-approved", RequestCard.Build(
        Elevation() with { Status = AccessRequestStatus.Approved, DecidedByName = "Megan Bowen", DecidedAt = Now.AddMinutes(3) },
        Payroll, Now.AddMinutes(3), ["29:megan"], grant: new Grant(1, Payroll.ObjectId, "adele", AppRight.ManageCredentials, Now.AddMinutes(3), Now.AddMinutes(123))));

    [Fact]
    public Task ApprovalCard_Transfer_NamesWhoIsReplaced() => GoldenCards.AssertMatchesAsync("request-transfer", RequestCard.Build(
        Elevation() with { Kind = AccessRequestKind.TransferOwnership, Right = null, Duration = null, Change = new OwnerChange("isaiah", "Isaiah Langer", "isaiah@example.com", OwnerKind.Technical, true, Alex) },
        Payroll, Now, []));

    [Fact]
    public Task Audit_ListsRecentEvents() => GoldenCards.AssertMatchesAsync("audit", AuditCard.Build(Payroll,
    [
        new AuditEvent("megan", "Megan Bowen", Payroll.ObjectId, "DecideRequest", "Approved", "Request 7: Adele Vance asks to rotate the credentials of Payroll API for 2 hours", "CHG0012345", Now.AddMinutes(3)),
        new AuditEvent("adele", "Adele Vance", Payroll.ObjectId, "RotateSecret", "Refused", "You are not an Entra owner of Payroll API", null, Now),
    ]));

    private static CommandRegistration Registered<TCommand>()
        where TCommand : IBotCommand => new(TCommand.Info, typeof(TCommand));

    private static AccessRequest Elevation() => new(
        7, AccessRequestKind.Elevation, Payroll.ObjectId, "adele", "Adele Vance", AppRight.ManageCredentials, TimeSpan.FromHours(2),
        "Rotate before Friday's release", "CHG0012345", null, AccessRequestStatus.Pending, Now, Now + AccessRequest.DecisionWindow);

    [Fact]
    public Task Compliance_SaysWhatChangedSinceThePreviousScan() => GoldenCards.AssertMatchesAsync("compliance", ComplianceCard.Build(
        new ComplianceSummary(Now, 20, 5, 9, 4, 13, 3, ComplianceTally.Rules.ToDictionary(r => r, r => r.Length % 5),
            [new UrgentApp(Expenses.ObjectId, Expenses.AppId, "Contoso Expenses", AppKind.Application, 0, "Secret 'legacy-secret' expired on 2026-11-18", Now.AddDays(-4))]),
        new ComplianceSummary(Now.AddDays(-1), 20, 5, 10, 2, 13, 2, ComplianceTally.Rules.ToDictionary(r => r, _ => 1), [])));

    [Fact]
    public Task Policies_AreListedWithTheirAssignments() => GoldenCards.AssertMatchesAsync("policies", PolicyCards.List(
        [Policy.Default with { Name = "Default app registrations" }, Policy.Default with { Name = "Payments", ExpiryStagesDays = [60, 30, 7], MinimumBusinessOwners = 1 }],
        new Dictionary<string, IReadOnlyList<string>> { ["Default app registrations"] = ["AppKindDefault: Application"], ["Payments"] = ["Tag: payments", "NamePattern: Pay*"] }));

    [Fact]
    public Task PolicyEditor_ExplainsEachProblem() => GoldenCards.AssertMatchesAsync("policy-edit", PolicyCards.Edit(
        Policy.Default, ["The first expiry stage is 120 days; it must be between 7 and 90 days."]));
}
