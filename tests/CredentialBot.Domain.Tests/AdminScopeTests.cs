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
    [InlineData("finance", "\"finance\" is not an app selector: write kind:Application, kind:ServicePrincipal, name:<pattern>, tag:<tag> or app:<id>.")]
    [InlineData("", "\"\" is not an app selector: write kind:Application, kind:ServicePrincipal, name:<pattern>, tag:<tag> or app:<id>.")]
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
}
