using CredentialBot.Domain;
using CredentialBot.TestKit.Builders;

namespace CredentialBot.Domain.Tests;

/// <summary>Elevation and ownership requests: what they must contain, and how they are decided exactly once.</summary>
public sealed class AccessRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private static readonly App App = new AppBuilder(Now).WithIds("app-1", "a").Named("Sales Forecasting")
        .WithOwner(OwnerKind.Entra, "megan", "Megan Bowen").WithOwner(OwnerKind.Technical, "alex-technical").Build();

    private static AccessRequest Pending() => new(
        7, AccessRequestKind.Elevation, "app-1", "alex", "Alex Wilber", AppRight.ManageCredentials, TimeSpan.FromHours(2),
        "Rotate before the release", null, null, AccessRequestStatus.Pending, Now, Now + AccessRequest.DecisionWindow);

    [Fact]
    public void AnOwner_ApprovesAPendingRequest()
    {
        var (decided, decision) = Pending().Decide(new Principal("megan", "Megan Bowen", false), App, approve: true, Now.AddMinutes(5));

        Assert.True(decision.Allowed);
        Assert.Equal(AccessRequestStatus.Approved, decided!.Status);
        Assert.Equal("megan", decided.DecidedByObjectId);
        Assert.Equal(Now.AddMinutes(5), decided.DecidedAt);
    }

    [Fact]
    public void ADecidedRequest_CannotBeDecidedAgain_AStaleOrReplayedClickIsRefused()
    {
        var approved = Pending() with { Status = AccessRequestStatus.Approved, DecidedByName = "Megan Bowen" };

        var (decided, decision) = approved.Decide(new Principal("megan", "Megan Bowen", false), App, approve: false, Now);

        Assert.Null(decided);
        Assert.Contains("already approved by Megan Bowen", decision.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ARequestNobodyDecidedInTime_HasExpired()
    {
        var late = Now + AccessRequest.DecisionWindow;

        Assert.Equal(AccessRequestStatus.Expired, Pending().StatusAt(late));
        Assert.Null(Pending().Decide(new Principal("megan", "Megan Bowen", false), App, approve: true, late).Decided);
    }

    [Fact]
    public void TheRequester_CannotApproveTheirOwnRequest_EvenAsAnAdmin()
    {
        var (decided, decision) = Pending().Decide(new Principal("alex", "Alex Wilber", IsAdmin: true), App, approve: true, Now);

        Assert.Null(decided);
        Assert.Contains("your own request", decision.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ADecisionNamingAnotherApp_IsRefused()
    {
        var other = App with { ObjectId = "app-2" };

        Assert.Null(Pending().Decide(new Principal("megan", "Megan Bowen", false), other, approve: true, Now).Decided);
    }

    [Fact]
    public void AnElevation_MustStayWithinThePolicy()
    {
        var policy = Policy.Default with { Elevation = ElevationSettings.Default with { TicketRequired = true, MaximumDuration = TimeSpan.FromHours(4) } };

        var problems = ElevationRules.Problems(policy, AppRight.ManageCredentials, TimeSpan.FromHours(8), justification: " ", ticket: null);

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("8 hours is longer than policy Default allows (4 hours at most)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("requires a justification", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("requires a ticket number", StringComparison.Ordinal));
        Assert.Empty(ElevationRules.Problems(policy, AppRight.ManageOwners, TimeSpan.FromHours(2), "Release", "CHG1"));
    }

    [Fact]
    public void TheDurationsOffered_AreThoseWithinThePolicyMaximum() =>
        Assert.Equal(
            [TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4)],
            ElevationRules.DurationsUnder(Policy.Default with { Elevation = ElevationSettings.Default with { MaximumDuration = TimeSpan.FromHours(4) } }));
}

/// <summary>Who can become an owner, and when an owner cannot be removed.</summary>
public sealed class OwnershipRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void UnknownAndDisabledPeople_AreRefused_SayingWhy()
    {
        Assert.Contains("Nobody in the directory matches 'ghost@example.com'", OwnershipRules.CheckCandidate(null, "ghost@example.com").Explanation, StringComparison.Ordinal);
        Assert.Contains("disabled", OwnershipRules.CheckCandidate(new Person("d", "Diego", "d@x", null, AccountEnabled: false), "d@x").Explanation, StringComparison.Ordinal);
        Assert.True(OwnershipRules.CheckCandidate(new Person("m", "Megan", "m@x", null), "m@x").Allowed);
    }

    [Fact]
    public void TheLastRequiredOwnerOfAKind_CannotBeRemoved()
    {
        var app = new AppBuilder(Now).Named("Payroll API").WithOwner(OwnerKind.Technical, "alex", "Alex").WithOwner(OwnerKind.Technical, "diego", "Diego", enabled: false).Build();

        var refusal = OwnershipRules.CheckRemoval(app, Policy.Default, "alex", OwnerKind.Technical);

        Assert.False(refusal.Allowed);
        Assert.Contains("requires at least 1 active technical owner and 0 would be left", refusal.Explanation, StringComparison.Ordinal);
        Assert.True(OwnershipRules.CheckRemoval(app, Policy.Default with { MinimumTechnicalOwners = 0 }, "alex", OwnerKind.Technical).Allowed);
    }

    [Fact]
    public void AnOwnerWithAnotherActiveOwnerOfTheKind_CanBeRemoved()
    {
        var app = new AppBuilder(Now).WithOwner(OwnerKind.Entra, "alex").WithOwner(OwnerKind.Entra, "megan").Build();

        Assert.True(OwnershipRules.CheckRemoval(app, Policy.Default, "alex", OwnerKind.Entra).Allowed);
    }

    [Fact]
    public void AddingSomeoneWhoAlreadyIsThatKindOfOwner_IsRefused()
    {
        var app = new AppBuilder(Now).Named("Payroll API").WithOwner(OwnerKind.Technical, "alex", "Alex", canManageCredentials: false).Build();
        var alex = new Person("alex", "Alex", "alex@x", null);

        Assert.False(OwnershipRules.CheckAddition(app, alex, OwnerKind.Technical, manageCredentials: false).Allowed);
        Assert.True(OwnershipRules.CheckAddition(app, alex, OwnerKind.Technical, manageCredentials: true).Allowed);
        Assert.True(OwnershipRules.CheckAddition(app, alex, OwnerKind.Business, manageCredentials: false).Allowed);
    }
}

/// <summary>Secret lifetimes under the policy and the tenant's own limit.</summary>
public sealed class RotationRulesTests
{
    [Fact]
    public void LifetimesOffered_StayWithinThePolicyAndTheTenantLimit()
    {
        Assert.Equal([30, 90, 180, 365], RotationRules.LifetimesUnder(Policy.Default, tenantMaximum: null));
        Assert.Equal([30, 90], RotationRules.LifetimesUnder(Policy.Default, TimeSpan.FromDays(90)));
        Assert.Equal([10], RotationRules.LifetimesUnder(Policy.Default with { MaximumSecretLifetime = TimeSpan.FromDays(10) }, null));
    }

    [Fact]
    public void ALifetimeOverTheMaximum_IsRefused_NamingTheLimit()
    {
        Assert.Contains("730 days is longer than policy Default allows (365 days at most)", RotationRules.Problems(Policy.Default, null, 730, 7, null)[0], StringComparison.Ordinal);
        Assert.Contains("tenant's app-management policy", RotationRules.Problems(Policy.Default, TimeSpan.FromDays(90), 180, 7, null)[0], StringComparison.Ordinal);
        Assert.Empty(RotationRules.Problems(Policy.Default, null, 365, 0, "Rotated by CredentialBot"));
        Assert.NotEmpty(RotationRules.Problems(Policy.Default, null, 90, 31, null));
    }
}
