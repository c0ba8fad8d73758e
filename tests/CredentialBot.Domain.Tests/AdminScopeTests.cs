using CredentialBot.Domain;
using CredentialBot.TestKit.Builders;

namespace CredentialBot.Domain.Tests;

/// <summary>Which Apps an admin scope covers, how selectors are written, and which scopes cannot be used.</summary>
public sealed class AdminScopeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private static readonly App Payroll = new AppBuilder(Now).Named("Payroll API").WithIds("obj-payroll", "app-payroll").WithTag("Finance").Build();
    private static readonly App Gateway = new AppBuilder(Now).Named("Payments Gateway").WithIds("obj-gateway", "app-gateway").AsServicePrincipal().Build();

    [Theory]
    [InlineData("tag:finance", true, false)]
    [InlineData("tag:fin", false, false)]
    [InlineData("name:Pay*", true, true)]
    [InlineData("name:payroll api", true, false)]
    [InlineData("name:*Gateway", false, true)]
    [InlineData("name:Pay", false, false)]
    [InlineData("name:Pay.*", false, false)]
    [InlineData("kind:ServicePrincipal", false, true)]
    [InlineData("KIND:application", true, false)]
    [InlineData("app:app-payroll", true, false)]
    [InlineData("app:OBJ-GATEWAY", false, true)]
    [InlineData("app:app-pay*", false, false)]
    public void Covers_PicksAppsAsPolicyAssignmentDoes(string selector, bool payroll, bool gateway)
    {
        var scope = new AdminScope("Finance", ["p"], [], [AppSelector.Parse(selector, out var problem)!]);

        Assert.Null(problem);
        Assert.Equal((payroll, gateway), (scope.Covers(Payroll), scope.Covers(Gateway)));
    }

    [Theory]
    [InlineData("finance", "\"finance\" is not an app selector: write kind:Application, kind:ServicePrincipal, name:PATTERN, tag:TAG or app:ID.")]
    [InlineData("", "\"\" is not an app selector: write kind:Application, kind:ServicePrincipal, name:PATTERN, tag:TAG or app:ID.")]
    [InlineData("tag:", "An app selector's value must be 1 to 200 printable characters.")]
    [InlineData("kind:Robot", "\"Robot\" is not an app kind: write Application or ServicePrincipal.")]
    [InlineData("name:**", "A name pattern of only * would select every app; write kind:Application and kind:ServicePrincipal if that is meant.")]
    [InlineData("tag:a\u0007b", "An app selector's value must be 1 to 200 printable characters.")]
    public void Parse_RefusesWhatIsNotASelector_SayingWhy(string text, string expected)
    {
        Assert.Null(AppSelector.Parse(text, out var problem));
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void Parse_ReadsWhatToStringWrites()
    {
        foreach (var text in new[] { "kind:Application", "name:Pay*", "tag:finance", "app:0000-1" })
        {
            Assert.Equal(text, AppSelector.Parse(text, out _)!.ToString());
        }
    }

    public static TheoryData<AdminScope, string[]> ScopeCases => new()
    {
        { new AdminScope("Finance", ["u1"], [], [new(AppSelectorKind.Tag, "finance")]), [] },
        { new AdminScope("Finance", [], ["g1"], [new(AppSelectorKind.Tag, "finance")]), [] },
        { new AdminScope("Finance", [], [], [new(AppSelectorKind.Tag, "finance")]), ["Scope \"Finance\" names nobody: list people's object ids or groups."] },
        { new AdminScope("Finance", ["u1"], [], []), ["Scope \"Finance\" selects no apps: give at least one app selector."] },
        { new AdminScope("", ["u1", " "], [], [new(AppSelectorKind.Kind, "Robot")]), ["A scope's name must be 1 to 60 printable characters.", "Scope \"\" has an empty person or group id.", "Scope \"\": \"Robot\" is not an app kind: write Application or ServicePrincipal."] },
    };

    [Theory]
    [MemberData(nameof(ScopeCases))]
    public void Problems_NameEachPartThatCannotBeUsed(AdminScope scope, string[] expected) => Assert.Equal(expected, scope.Problems());

    [Fact]
    public void AScopeWithSeveralSelectors_CoversWhatAnyOfThemPicks_AndDescribesThemAll()
    {
        var scope = new AdminScope("Money", ["u1"], [], [new(AppSelectorKind.Tag, "finance"), new(AppSelectorKind.NamePattern, "*Gateway")]);
        var other = new AdminScope("HR", ["u1"], [], [new(AppSelectorKind.Tag, "hr")]);

        Assert.True(scope.Covers(Payroll) && scope.Covers(Gateway));
        Assert.True(AdminScope.AnyCovers([other, scope], Gateway));
        Assert.False(AdminScope.AnyCovers([other], Gateway));
        Assert.False(AdminScope.AnyCovers([], Gateway));
        Assert.Equal("Money (tag:finance, name:*Gateway)", scope.Describe());
        Assert.True(scope.NamesPerson("U1"));
    }

    [Theory]
    [InlineData("name:Pay*", "name:Pay*", true)]
    [InlineData("name:Pay*", "NAME:pay*", true)]
    [InlineData("name:Pay*", "name:Payroll*", true)]
    [InlineData("name:Pay*", "name:Payroll API", true)]
    [InlineData("name:Pay*", "name:Payroll * v2", true)]
    [InlineData("name:Pay*", "name:Pa*", false)]
    [InlineData("name:Pay*", "name:*Pay*", false)]
    [InlineData("name:Pay*", "name:Travel", false)]
    [InlineData("name:*API", "name:Payroll API", true)]
    [InlineData("name:*API", "name:Pay*API", false)]
    [InlineData("name:Pay*v*", "name:Payroll*", false)]
    [InlineData("tag:finance", "tag:FINANCE", true)]
    [InlineData("tag:finance", "tag:finance-eu", false)]
    [InlineData("kind:Application", "kind:Application", true)]
    [InlineData("kind:Application", "name:Pay*", false)]
    [InlineData("name:Pay*", "tag:finance", false)]
    public void Includes_JudgesFromTheSelectorsAlone_AndRefusesWhenUnsure(string scope, string assigned, bool included) =>
        Assert.Equal(included, AppSelector.Parse(scope, out _)!.Includes(AppSelector.Parse(assigned, out _)!));

    public static TheoryData<string, string[], string?> PolicyEditCases => new()
    {
        { "name:Pay*", ["name:Payroll*"], null },
        { "name:Pay*", ["name:Payroll*", "app:app-payroll"], null },
        { "name:Pay*", ["app:obj-payroll"], null },
        { "name:Pay*", ["app:app-gateway"], null },
        { "tag:Finance", ["app:app-gateway"], "Policy \"Money\" also applies outside your scope (app:app-gateway), so only a global admin can edit it." },
        { "name:Pay*", ["app:app-unknown"], "Policy \"Money\" also applies outside your scope (app:app-unknown), so only a global admin can edit it." },
        { "name:Pay*", ["name:Payroll*", "kind:Application"], "Policy \"Money\" also applies outside your scope (kind:Application), so only a global admin can edit it." },
        { "name:Pay*", [], "Policy \"Money\" is assigned to nothing, so it is not inside your scope; a global admin edits it." },
    };

    [Theory]
    [MemberData(nameof(PolicyEditCases))]
    public void PolicyEditRefusal_AllowsOnlyPoliciesAssignedInsideTheScope(string scopeSelector, string[] assignments, string? refusal)
    {
        var scope = new AdminScope("Money", ["u1"], [], [AppSelector.Parse(scopeSelector, out _)!]);
        App? Find(string id) => new[] { Payroll, Gateway }.FirstOrDefault(a => a.AppId == id || a.ObjectId == id);

        Assert.Equal(refusal, AdminScope.PolicyEditRefusal([scope], "Money", [.. assignments.Select(a => AppSelector.Parse(a, out _)!)], Find));
    }

    [Fact]
    public void PolicyEditRefusal_RefusesSomeoneWithoutAScope() =>
        Assert.Equal("You administer no scope.", AdminScope.PolicyEditRefusal([], "Money", [new(AppSelectorKind.Tag, "finance")], _ => null));

    [Theory]
    [InlineData("name:Payroll*", "Payroll Reports", "Application", "", true)]
    [InlineData("name:Payroll*", "Travel Reports", "Application", "", false)]
    [InlineData("tag:finance", "Anything", "Application", "Finance,eu", true)]
    [InlineData("tag:finance", "Anything", "Application", "", false)]
    [InlineData("kind:ServicePrincipal", "Payroll Reports", "Application", "", false)]
    [InlineData("app:app-payroll", "Payroll API", "Application", "", false)]
    public void CoversNewApp_JudgesAnAppNotYetCreatedByItsNameKindAndTags(string selector, string name, string kind, string tags, bool covered)
    {
        var scope = new AdminScope("Money", ["u1"], [], [AppSelector.Parse(selector, out _)!]);
        var tagList = tags.Split(',', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(covered, scope.CoversNewApp(name, Enum.Parse<AppKind>(kind), tagList));
        Assert.Equal(covered, AdminScope.AnyCoversNewApp([scope], name, Enum.Parse<AppKind>(kind), tagList));
    }
}
