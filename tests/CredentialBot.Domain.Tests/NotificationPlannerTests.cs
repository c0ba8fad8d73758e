using CredentialBot.Domain;
using CredentialBot.TestKit.Builders;
using CredentialBot.TestKit.Time;

namespace CredentialBot.Domain.Tests;

/// <summary>Who is told about which credential, and when it escalates.</summary>
public sealed class NotificationPlannerTests
{
    private static readonly DateTimeOffset Now = TestClock.DefaultStart;

    [Fact]
    public void TechnicalOwners_AreTold_AboutACredentialEnteringAStage()
    {
        var app = App().WithSecretExpiringIn(12, "prod").WithOwner(OwnerKind.Technical, "tina").WithOwner(OwnerKind.Business, "bob").WithOwner(OwnerKind.Entra, "erin").Build();

        var notice = Assert.Single(Plan(app));

        Assert.Equal(("tina", RecipientRole.TechnicalOwner, "14"), (notice.RecipientObjectId, notice.Role, notice.Stage));
    }

    [Fact]
    public void WithoutAnActiveTechnicalOwner_BusinessOwnersAreTold()
    {
        var app = App().WithSecretExpiringIn(12).WithOwner(OwnerKind.Technical, "gone", enabled: false).WithOwner(OwnerKind.Business, "bob").WithOwner(OwnerKind.Entra, "erin").Build();

        Assert.Equal([("bob", RecipientRole.BusinessOwner)], Plan(app).Select(n => (n.RecipientObjectId, n.Role)));
    }

    [Fact]
    public void WithoutTechnicalOrBusinessOwners_EntraOwnersAreTold()
    {
        var app = App().WithSecretExpiringIn(12).WithOwner(OwnerKind.Entra, "erin").WithOwner(OwnerKind.Entra, "deleted", deleted: true).Build();

        Assert.Equal([("erin", RecipientRole.EntraOwner)], Plan(app).Select(n => (n.RecipientObjectId, n.Role)));
    }

    [Fact]
    public void AtTheLastStage_BusinessOwnersAreToldToo()
    {
        var app = App().WithSecretExpiringIn(0.5).WithOwner(OwnerKind.Technical, "tina").WithOwner(OwnerKind.Business, "bob").Build();

        Assert.Equal(["bob", "tina"], Plan(app).Select(n => n.RecipientObjectId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AnExpiredCredential_IsItsOwnStage_AndEscalates()
    {
        var app = App().WithSecretExpiringIn(-3).WithOwner(OwnerKind.Technical, "tina").WithOwner(OwnerKind.Business, "bob").Build();

        var notices = Plan(app);

        Assert.All(notices, n => Assert.Equal(Notice.ExpiredStage, n.Stage));
        Assert.Equal(2, notices.Count);
    }

    [Fact]
    public void WithNobodyActive_TheNoticeIsForNoOne_SoAnAdminHearsOfIt()
    {
        var app = App().WithSecretExpiringIn(5).WithOwner(OwnerKind.Entra, "diego", enabled: false).Build();

        Assert.Equal(NotificationPlanner.NoOneRecipient, Assert.Single(Plan(app)).RecipientObjectId);
    }

    [Fact]
    public void HealthyCredentialsAndOwnerFindings_NotifyNobody()
    {
        var app = App().WithSecretExpiringIn(200).Build();

        Assert.Empty(Plan(app));
    }

    [Fact]
    public void ExternallyManagedApps_NotifyNobody()
    {
        var app = App().WithSecretExpiringIn(2).WithOwner(OwnerKind.Technical, "tina").ExternallyManaged().Build();

        Assert.Empty(Plan(app));
    }

    [Fact]
    public void OneCredentialAtOneStage_HasOneKeyPerRecipient_AndANewStageHasANewKey()
    {
        var at12 = App().WithSecretExpiringIn(12, "prod").WithOwner(OwnerKind.Technical, "tina").Build();
        var at6 = at12 with { Credentials = [at12.Credentials[0] with { EndsAt = Now.AddDays(6) }] };

        var first = Assert.Single(Plan(at12)).DedupKey;
        var again = Assert.Single(Plan(at12)).DedupKey;
        var next = Assert.Single(Plan(at6)).DedupKey;

        Assert.Equal(first, again);
        Assert.NotEqual(first, next);
    }

    [Fact]
    public void Digests_GroupByPerson_MostUrgentFirst()
    {
        var a = App("a").WithSecretExpiringIn(20, "a").WithOwner(OwnerKind.Technical, "tina").Build();
        var b = App("b").WithSecretExpiringIn(-1, "b").WithOwner(OwnerKind.Technical, "tina").Build();
        var c = App("c").WithSecretExpiringIn(3, "c").WithOwner(OwnerKind.Technical, "omar").Build();

        var digests = NotificationPlanner.Digests([.. Plan(a), .. Plan(b), .. Plan(c)]);

        Assert.Equal(["omar", "tina"], digests.Select(d => d.Key));
        Assert.Equal(["b", "a"], digests[1].Select(n => n.AppObjectId));
    }

    private static AppBuilder App(string id = "obj-1") => new AppBuilder(Now).WithIds(id, "app-" + id).Named("App " + id);

    private static IReadOnlyList<Notice> Plan(App app) => NotificationPlanner.Plan(app, Policy.Default, PolicyEvaluator.Evaluate(app, Policy.Default, Now));
}
