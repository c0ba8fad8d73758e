using CredentialBot.Shared.Access.Scopes;

namespace CredentialBot.Tests.Settings;

/// <summary>Admin scopes from settings: a scope that cannot work stops start-up with a message naming the setting.</summary>
public sealed class AdminScopeSettingsTests
{
    [Fact]
    public void NoScopes_AreFine() => Assert.True(new AdminScopesOptionsValidator().Validate(null, new AdminScopesOptions()).Succeeded);

    [Fact]
    public void AScopeWithPeopleAndSelectors_IsFine() => Assert.True(Validate(Scope("Payroll", people: ["u1"], apps: ["name:Payroll*", "tag:payroll"])).Succeeded);

    [Theory]
    [InlineData("payroll", "AdminScopes:Scopes:0:Apps:0: \"payroll\" is not an app selector")]
    [InlineData("kind:Robot", "AdminScopes:Scopes:0:Apps:0: \"Robot\" is not an app kind")]
    [InlineData("name:*", "AdminScopes:Scopes:0:Apps:0: A name pattern of only *")]
    public void ASelectorThatIsNotOne_IsRefusedByIndex(string selector, string expected) =>
        Assert.Contains(expected, Validate(Scope("Payroll", people: ["u1"], apps: [selector])).FailureMessage, StringComparison.Ordinal);

    [Fact]
    public void AScopeNamingNobody_OrSelectingNothing_IsRefused()
    {
        var message = Validate(Scope("Payroll", apps: ["tag:payroll"]), Scope("HR", people: ["u1"])).FailureMessage;

        Assert.Contains("AdminScopes:Scopes:0: Scope \"Payroll\" names nobody", message, StringComparison.Ordinal);
        Assert.Contains("AdminScopes:Scopes:1: Scope \"HR\" selects no apps", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoScopesOfOneName_AreRefused() =>
        Assert.Contains("the name \"payroll\" is used by 2 scopes", Validate(Scope("payroll", people: ["u1"], apps: ["tag:a"]), Scope("Payroll ", people: ["u2"], apps: ["tag:b"])).FailureMessage, StringComparison.Ordinal);

    [Fact]
    public void MoreThanTwentyGroups_AreRefused() =>
        Assert.Contains("AdminScopes:Scopes:0:Groups may list at most 20 groups", Validate(Scope("Big", groups: [.. Enumerable.Range(0, 21).Select(i => $"g{i}")], apps: ["tag:a"])).FailureMessage, StringComparison.Ordinal);

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(params AdminScopeSetting[] scopes)
    {
        var options = new AdminScopesOptions();
        foreach (var scope in scopes)
        {
            options.Scopes.Add(scope);
        }

        return new AdminScopesOptionsValidator().Validate(null, options);
    }

    private static AdminScopeSetting Scope(string name, string[]? people = null, string[]? groups = null, string[]? apps = null)
    {
        var scope = new AdminScopeSetting { Name = name };
        foreach (var p in people ?? [])
        {
            scope.People.Add(p);
        }

        foreach (var g in groups ?? [])
        {
            scope.Groups.Add(g);
        }

        foreach (var a in apps ?? [])
        {
            scope.Apps.Add(a);
        }

        return scope;
    }
}
