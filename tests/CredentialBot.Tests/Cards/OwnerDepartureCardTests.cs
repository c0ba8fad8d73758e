using CredentialBot.Domain;
using CredentialBot.Ownership;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;
using CredentialBot.TestKit.Time;

namespace CredentialBot.Tests.Cards;

/// <summary>The cards about owners who left: the remaining owners' Replace card and the admins' card, pinned by golden files.</summary>
public sealed class OwnerDepartureCardTests
{
    private static readonly DateTimeOffset Now = TestClock.DefaultStart;
    private static readonly Owner Patti = new(OwnerKind.Business, "00000000-0000-0000-0000-0000000000024", "Patti Fernandez", "pattif@example.com", AccountEnabled: false);
    private static readonly Owner Diego = new(OwnerKind.Entra, "7d2b5f3e-51c4-4f0e-9a5e-3c1d2e8f4b60", "Diego Siciliani", "diegos@example.com", Deleted: true);

    private static App Payroll => App("5f0c1a2b-0000-0000-0000-000000000001", "1f2e3d4c-0000-0000-0000-0000000000c9", "Payroll API");

    private static App Expenses => App("5f0c1a2b-0000-0000-0000-000000000002", "1f2e3d4c-0000-0000-0000-0000000000ca", "Contoso Expenses");

    [Fact]
    public Task OneOwnerOnOneApp_IsNamedInTheHeading() =>
        GoldenCards.AssertMatchesAsync("replace-owner-one", ReplaceOwnerCard.Build([(Payroll, Departure(1, Payroll, Patti), Now.AddDays(14))]));

    [Fact]
    public Task OneOwnerOnSeveralApps_GetsAReplaceButtonPerApp() =>
        GoldenCards.AssertMatchesAsync("replace-owner-several", ReplaceOwnerCard.Build([(Payroll, Departure(1, Payroll, Patti), Now.AddDays(14)), (Expenses, Departure(2, Expenses, Patti), Now.AddDays(14))]));

    [Fact]
    public void MoreThanTenDepartures_AreCounted_NotDrawn()
    {
        var many = Enumerable.Range(1, ReplaceOwnerCard.MaxShown + 3).Select(i => (Payroll, Departure(i, Payroll, Patti with { ObjectId = $"person-{i}" }), Now)).ToList();

        var text = System.Text.Json.JsonSerializer.Serialize(ReplaceOwnerCard.Build(many));

        Assert.Contains("13 people can no longer look after apps you own", text, StringComparison.Ordinal);
        Assert.Contains("and 3 more", text, StringComparison.Ordinal);
    }

    [Fact]
    public Task TheAdminCard_SaysWhyEachIsEscalated() =>
        GoldenCards.AssertMatchesAsync("owners-not-replaced", UnreplacedOwnersCard.Build(
        [
            (Payroll, Departure(1, Payroll, Patti), "Not replaced by 2026-01-15, the policy's 14 days."),
            (Expenses, Departure(2, Expenses, Diego), "Nobody active is left to replace them."),
        ]));

    private static OwnerDeparture Departure(long id, App app, Owner owner) => new(id, app.ObjectId, owner, Now);

    private static App App(string objectId, string appId, string name) => new AppBuilder(Now).WithIds(objectId, appId).Named(name).WithSecretExpiringIn(30, "prod-secret").Build();
}
