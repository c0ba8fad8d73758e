using CredentialBot.Cards;
using CredentialBot.Commands;
using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using CredentialBot.TestKit.Builders;
using CredentialBot.TestKit.Time;

namespace CredentialBot.Tests.Cards;

/// <summary>Every card the bot sends, pinned by a golden file.</summary>
public sealed class CardBuilderTests
{
    private const string Alex = "00000000-0000-0000-0000-0000000000020";
    private static readonly DateTimeOffset Now = FakeTimeProvider.DefaultStart;

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
        IBotCommand[] commands = [new HelpCommand(null!), new MyAppsCommand(null!, TimeProvider.System), new StatusCommand(null!, null!, null!, null!, TimeProvider.System), new ElevateCommand(null!, null!), new AuditCommand(null!, null!, null!)];

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
    public Task Digest_GroupsAPersonsCredentialsByApp_MostUrgentFirst() => GoldenCards.AssertMatchesAsync("digest", DigestCard.Build(
    [
        (Expenses, [new Notice(Alex, RecipientRole.TechnicalOwner, Expenses.ObjectId, Expenses.Credentials[0].KeyId, Notice.ExpiredStage, 0)]),
        (Payroll, [new Notice(Alex, RecipientRole.EntraOwner, Payroll.ObjectId, Payroll.Credentials[0].KeyId, "7", 1_007)]),
    ], Now, policyNames: new Dictionary<string, string> { [Expenses.ObjectId] = "Finance apps", [Payroll.ObjectId] = "Default app registrations" }));

    [Fact]
    public Task Digest_WithASnoozedApp_SaysWhoSnoozedItUntilWhen() => GoldenCards.AssertMatchesAsync("digest-snoozed", DigestCard.Build(
        [(Payroll, [new Notice(Alex, RecipientRole.TechnicalOwner, Payroll.ObjectId, Payroll.Credentials[0].KeyId, "7", 1_007)])],
        Now,
        [new CredentialSnoozeRecord { AppObjectId = Payroll.ObjectId, CredentialKeyId = Payroll.Credentials[0].KeyId, ByObjectId = Alex, ByName = "Alex Wilber", Until = Now.AddDays(7), At = Now }]));

    [Fact]
    public Task Digest_WithMoreAppsThanFit_StaysUnder28KB_AndSaysHowManyMore()
    {
        var many = Enumerable.Range(1, 14)
            .Select(i => new AppBuilder(Now).WithIds($"5f0c1a2b-7d3e-4a51-9b2c-{i:D12}", $"1f2e3d4c-5b6a-4978-8a9b-{i:D12}").Named($"A rather long application display name {i:D2}")
                .WithSecretExpiringIn(i, $"secret-{i}").WithCertificateExpiringIn(i + 1, $"CN=certificate-{i}").Build())
            .Select(app => (app, (IReadOnlyList<Notice>)[.. app.Credentials.Select(c => new Notice(Alex, RecipientRole.TechnicalOwner, app.ObjectId, c.KeyId, "7", 1_007))]))
            .ToList();

        return GoldenCards.AssertMatchesAsync("digest-many", DigestCard.Build(many, Now, policyNames: many.ToDictionary(i => i.app.ObjectId, _ => "Default app registrations")));
    }
}
