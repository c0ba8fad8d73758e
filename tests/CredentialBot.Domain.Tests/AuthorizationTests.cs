using CredentialBot.Domain;
using CredentialBot.TestKit.Builders;

namespace CredentialBot.Domain.Tests;

/// <summary>Who may rotate, manage owners, read the audit trail, and decide on requests.</summary>
public sealed class AuthorizationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private static App Payroll() => new AppBuilder(Now).Named("Payroll API").WithIds("app-1", "appid-1").WithSecretExpiringIn(5)
        .WithOwner(OwnerKind.Entra, "entra-owner")
        .WithOwner(OwnerKind.Technical, "rotator", canManageCredentials: true)
        .WithOwner(OwnerKind.Technical, "watcher", canManageCredentials: false)
        .WithOwner(OwnerKind.Business, "business-owner")
        .WithOwner(OwnerKind.Entra, "disabled-entra", enabled: false)
        .Build();

    private static Principal Person(string id, bool admin = false) => new(id, id, admin);

    [Theory]
    [InlineData("entra-owner", true)]
    [InlineData("rotator", true)]
    [InlineData("watcher", false)]
    [InlineData("business-owner", false)]
    [InlineData("disabled-entra", false)]
    [InlineData("stranger", false)]
    public void ManagingCredentials_NeedsEntraOwnershipOrTheManageCredentialsRight(string person, bool allowed) =>
        Assert.Equal(allowed, Authorizer.Decide(Person(person), Payroll(), AppRight.ManageCredentials, [], Now).Allowed);

    [Theory]
    [InlineData("entra-owner", true)]
    [InlineData("rotator", false)]
    [InlineData("business-owner", false)]
    [InlineData("stranger", false)]
    public void ManagingOwners_NeedsEntraOwnership(string person, bool allowed) =>
        Assert.Equal(allowed, Authorizer.Decide(Person(person), Payroll(), AppRight.ManageOwners, [], Now).Allowed);

    [Theory]
    [InlineData("watcher", true)]
    [InlineData("business-owner", true)]
    [InlineData("stranger", false)]
    public void TheAuditTrail_IsForOwnersOfAnyKind(string person, bool allowed) =>
        Assert.Equal(allowed, Authorizer.Decide(Person(person), Payroll(), AppRight.ViewAudit, [], Now).Allowed);

    [Theory]
    [InlineData(AppRight.ManageCredentials)]
    [InlineData(AppRight.ManageOwners)]
    [InlineData(AppRight.ViewAudit)]
    public void Admins_MayDoEverything(AppRight right) =>
        Assert.True(Authorizer.Decide(Person("admin", admin: true), Payroll(), right, [], Now).Allowed);

    [Fact]
    public void AnActiveGrant_AllowsExactlyItsRightOnItsApp_UntilItEnds()
    {
        var grant = new Grant(1, "app-1", "stranger", AppRight.ManageCredentials, Now.AddMinutes(-5), Now.AddHours(2));
        var other = new AppBuilder(Now).WithIds("app-2", "appid-2").Build();

        Assert.True(Authorizer.Decide(Person("stranger"), Payroll(), AppRight.ManageCredentials, [grant], Now).Allowed);
        Assert.False(Authorizer.Decide(Person("stranger"), Payroll(), AppRight.ManageOwners, [grant], Now).Allowed);
        Assert.False(Authorizer.Decide(Person("stranger"), other, AppRight.ManageCredentials, [grant], Now).Allowed);
        Assert.False(Authorizer.Decide(Person("someone-else"), Payroll(), AppRight.ManageCredentials, [grant], Now).Allowed);
        Assert.False(Authorizer.Decide(Person("stranger"), Payroll(), AppRight.ManageCredentials, [grant], Now.AddHours(2)).Allowed);
        Assert.False(Authorizer.Decide(Person("stranger"), Payroll(), AppRight.ManageCredentials, [grant with { Revoked = true }], Now).Allowed);
    }

    [Fact]
    public void ARefusal_SaysWhatToDoInstead()
    {
        var decision = Authorizer.Decide(Person("stranger"), Payroll(), AppRight.ManageCredentials, [], Now);

        Assert.False(decision.Allowed);
        Assert.Contains("Request elevation", decision.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownActor_IsRefused() =>
        Assert.False(Authorizer.Decide(new Principal("", null, IsAdmin: true), Payroll(), AppRight.ViewAudit, [], Now).Allowed);
}
