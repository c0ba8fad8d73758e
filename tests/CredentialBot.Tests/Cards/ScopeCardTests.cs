using CredentialBot.Admin.Import;
using CredentialBot.Admin.Policies;
using CredentialBot.Admin.Scopes;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;
using CredentialBot.TestKit.Time;

namespace CredentialBot.Tests.Cards;

/// <summary>The cards of admin scopes (issue 14.1): managing scopes, and what a scoped admin sees, pinned by golden files.</summary>
public sealed class ScopeCardTests
{
    private static readonly DateTimeOffset Now = TestClock.DefaultStart;

    private static readonly AdminScope Payroll = new("Payroll", ["00000000-0000-0000-0000-0000000000020"], [], [new(AppSelectorKind.NamePattern, "Payroll*")]);

    private static readonly StoredAdminScope Travel = new(
        new AdminScope("Travel", ["00000000-0000-0000-0000-0000000000024"], ["b0b0b0b0-0000-4000-8000-000000000001"], [new(AppSelectorKind.NamePattern, "Travel*"), new(AppSelectorKind.Tag, "travel")]),
        Now.AddDays(-2),
        "Megan Bowen");

    [Fact]
    public Task Scopes_ListsSettingsScopesReadOnly_AndThoseMadeInTeams() =>
        GoldenCards.AssertMatchesAsync("scopes", ScopeCards.List([Payroll], [Travel], DialogButtons.TaskModule));

    [Fact]
    public Task AScopeMadeInTeams_OffersEditAndRemove() =>
        GoldenCards.AssertMatchesAsync("scope-stored", ScopeCards.Show(Travel.Scope, Travel, DialogButtons.TaskModule, "Saved by Megan Bowen."));

    [Fact]
    public Task AScopeFromSettings_IsShownReadOnly() =>
        GoldenCards.AssertMatchesAsync("scope-settings", ScopeCards.Show(Payroll, null, DialogButtons.TaskModule));

    [Fact]
    public Task TheScopeEditor_NamesEachBadSelector() =>
        GoldenCards.AssertMatchesAsync("scope-edit", ScopeCards.Edit(
            new ScopeForm("Travel", "00000000-0000-0000-0000-0000000000024", string.Empty, "name:Travel*\ntravel"),
            null,
            "confirm-1",
            ["App selector \"travel\": \"travel\" is not an app selector: write kind:Application, kind:ServicePrincipal, name:PATTERN, tag:TAG or app:ID."]));

    [Fact]
    public Task RemovingAScope_AsksToConfirm() => GoldenCards.AssertMatchesAsync("scope-remove", ScopeCards.ConfirmRemove(Travel.Scope, "confirm-2"));

    [Fact]
    public Task AScopedAdminsPolicies_NameTheScope_AndHideAssignmentsOutsideIt() => GoldenCards.AssertMatchesAsync("policies-scoped", PolicyCards.List(
        [Policy.Default with { Name = "Default app registrations" }, Policy.Default with { Name = "Payroll policy" }],
        new Dictionary<string, IReadOnlyList<string>> { ["Default app registrations"] = ["1 more outside your scope"], ["Payroll policy"] = ["name:Payroll*"] },
        "Payroll (name:Payroll*)"));

    [Fact]
    public Task APolicyAScopedAdminMayNotEdit_SaysWhyInsteadOfOfferingEdit() => GoldenCards.AssertMatchesAsync("policy-scoped-view-only", PolicyCards.Show(
        Policy.Default with { Name = "Default app registrations" },
        ["1 more outside your scope"],
        DialogButtons.TaskModule,
        editRefusal: "Policy \"Default app registrations\" also applies outside your scope (kind:Application), so only a global admin can edit it."));

    [Fact]
    public Task AScopedAdminsImport_ListsTheRowsRefusedOutsideTheScope()
    {
        var staging = new AppBuilder(Now).WithIds("5f0c1a2b-0000-0000-0000-000000000018", "1f2e3d4c-0000-0000-0000-000000000018").Named("Payroll API (Staging)").Build();
        var plan = new OwnerImportPlan(
            [new OwnerImportRow(2, staging, OwnerKind.Technical, new Person("00000000-0000-0000-0000-0000000000023", "Isaiah Langer", "isaiah@example.com", null), true)],
            [],
            [new OwnerImportProblem(3, "Travel Booking is outside your admin scope", "5f0c1a2b-0000-0000-0000-000000000012")]);

        return GoldenCards.AssertMatchesAsync("import-preview-scoped", ImportCards.Preview(plan, "app,kind,person\n…", "confirm-3"));
    }
}
