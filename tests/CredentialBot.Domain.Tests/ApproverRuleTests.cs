using CredentialBot.Domain;
using CredentialBot.TestKit.Builders;

namespace CredentialBot.Domain.Tests;

/// <summary>
/// Who may decide a request: an admin, or someone holding what approving grants through ownership or an assigned right
/// — never through an elevation grant, never the requester — or a scoped admin whose scope covers the App. The table
/// covers every kind of person against every kind of request.
/// </summary>
public sealed class ApproverRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Everyone who could click Approve. The requester is an Entra owner and an admin: even so, never.</summary>
    private static readonly string[] People = ["entra", "rotator", "watcher", "business", "disabled-entra", "stranger", "grant-holder", "admin", "scoped-in", "scoped-out", "requester"];

    /// <summary>Each kind of request, and exactly who may decide it.</summary>
    private static readonly (string Request, string Approvers)[] Table =
    [
        ("an elevation to rotate credentials", "entra rotator admin scoped-in"),
        ("an elevation to manage owners", "entra admin scoped-in"),
        ("adding an Entra owner", "entra admin scoped-in"),
        ("adding a technical owner with the ManageCredentials right", "entra admin scoped-in"),
        ("adding a technical owner", "entra admin scoped-in"),
        ("adding a business owner", "entra admin scoped-in"),
        ("transferring Entra ownership", "entra admin scoped-in"),
        ("transferring technical ownership with the ManageCredentials right", "entra admin scoped-in"),
        ("transferring technical ownership", "entra admin scoped-in"),
        ("transferring business ownership", "entra admin scoped-in"),
        ("replacing a disabled or deleted Entra owner", "entra admin scoped-in"),
        ("replacing a disabled or deleted technical owner with the ManageCredentials right", "entra admin scoped-in"),
        ("replacing a disabled or deleted technical owner", "entra admin scoped-in"),
        ("replacing a disabled or deleted business owner", "entra admin scoped-in"),
    ];

    public static TheoryData<string, string, bool> EveryPersonAgainstEveryRequest()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (request, approvers) in Table)
        {
            foreach (var person in People)
            {
                data.Add(request, person, approvers.Split(' ').Contains(person));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPersonAgainstEveryRequest))]
    public void ARequest_IsDecidedOnlyByAnAdminOrWhoHoldsWhatItGrantsThroughOwnership(string request, string person, bool allowed)
    {
        var decision = Authorizer.DecideApprover(Principal(person), Payroll(), Request(request), ScopesOf(person));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(allowed, Request(request).Decide(Principal(person), Payroll(), approve: true, Now, ScopesOf(person)).Decided is not null);
    }

    [Fact]
    public void TheTable_CoversEveryKindOfRequestTheBotCanMake()
    {
        var described = Table.Select(t => Request(t.Request).WhatIsAsked()).ToList();

        Assert.Equal(Table.Select(t => t.Request), described);
        Assert.Equal(14, described.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ABusinessOwner_CannotApproveAColleagueBecomingAnEntraOwner_AndIsToldWhoCan()
    {
        var decision = Authorizer.DecideApprover(Principal("business"), Payroll(), Request("adding an Entra owner"));

        Assert.False(decision.Allowed);
        Assert.Equal("Only an Entra owner of Payroll API or a CredentialBot admin can approve adding an Entra owner.", decision.Explanation);
    }

    [Fact]
    public void TwoRightlessOwners_CannotGiveEachOtherThePowerToCreateSecrets()
    {
        var app = new AppBuilder(Now).WithIds("app-1", "a").Named("Payroll API").WithOwner(OwnerKind.Business, "ann").WithOwner(OwnerKind.Technical, "bob").Build();
        var annAsks = Pending(AccessRequestKind.Elevation, "ann", AppRight.ManageCredentials, null);

        var (decided, decision) = annAsks.Decide(new Principal("bob", "Bob", IsAdmin: false), app, approve: true, Now);

        Assert.Null(decided);
        Assert.Equal("Only an Entra owner of Payroll API, a technical owner of it with the ManageCredentials right, or a CredentialBot admin can approve an elevation to rotate credentials.", decision.Explanation);
    }

    [Fact]
    public void AnElevationGrant_LetsItsHolderAct_ButNeverApprove()
    {
        var app = Payroll();
        Grant[] grants =
        [
            new(1, "app-1", "grant-holder", AppRight.ManageCredentials, Now.AddHours(-1), Now.AddHours(1)),
            new(2, "app-1", "grant-holder", AppRight.ManageOwners, Now.AddHours(-1), Now.AddHours(1)),
        ];

        Assert.True(Authorizer.Decide(Principal("grant-holder"), app, AppRight.ManageCredentials, grants, Now).Allowed);
        Assert.True(Authorizer.Decide(Principal("grant-holder"), app, AppRight.ManageOwners, grants, Now).Allowed);
        Assert.All(Table, row => Assert.False(Authorizer.DecideApprover(Principal("grant-holder"), app, Request(row.Request)).Allowed));
    }

    [Fact]
    public void TheRequester_NeverDecides_EvenAsAnAdminAndEntraOwner_AndIsToldWhoMust()
    {
        var refusal = Authorizer.ApproverRefusalFor(Principal("requester"), Payroll(), Request("an elevation to manage owners"));

        Assert.Equal(ApproverRefusalReason.OwnRequest, refusal?.Reason);
        Assert.Equal("You cannot approve or deny your own request; an Entra owner of Payroll API or a CredentialBot admin must.", refusal?.Explanation);
    }

    [Fact]
    public void AnUnknownActor_CannotDecide_EvenWhenMarkedAdmin() =>
        Assert.Equal(ApproverRefusalReason.UnknownActor, Authorizer.ApproverRefusalFor(new Principal("", null, IsAdmin: true), Payroll(), Request("adding a business owner"))?.Reason);

    [Fact]
    public void TheApproversAskedAndRefreshed_AreExactlyTheOwnersWhoMayDecide()
    {
        var app = Payroll();
        foreach (var (request, approvers) in Table)
        {
            var owners = Authorizer.OwnerApprovers(app, Request(request)).Select(o => o.ObjectId);

            // Admins are reached through the approval channel, not as owners.
            Assert.Equal(approvers.Split(' ').Where(p => p is not "admin" and not "scoped-in"), owners);
        }
    }

    [Fact]
    public void AScopedAdmin_OutsideTheirScope_IsToldTheAppIsOutsideIt_AndWhoCanApprove()
    {
        var refusal = Authorizer.ApproverRefusalFor(Principal("scoped-out"), Payroll(), Request("adding a business owner"), ScopesOf("scoped-out"));

        Assert.Equal(ApproverRefusalReason.OutsideScope, refusal?.Reason);
        Assert.Equal("Payroll API is outside your admin scope (Travel); only an Entra owner of Payroll API or a CredentialBot admin can approve adding a business owner.", refusal?.Explanation);
    }

    [Fact]
    public void AScopedAdmin_InsideTheirScope_DecidesAsAScopedAdmin_ButNeverTheirOwnRequest()
    {
        var app = Payroll();
        var theirs = Pending(AccessRequestKind.Elevation, "scoped-in", AppRight.ManageCredentials, null);

        Assert.Equal("scoped admin (Payroll)", Authorizer.DecideApprover(Principal("scoped-in"), app, Request("adding an Entra owner"), ScopesOf("scoped-in")).Explanation);
        Assert.Equal(ApproverRefusalReason.OwnRequest, Authorizer.ApproverRefusalFor(Principal("scoped-in"), app, theirs, ScopesOf("scoped-in"))?.Reason);
    }

    [Fact]
    public void AScopedAdmin_OutsideTheirScope_StillDecidesWhatTheirOwnershipAllows()
    {
        var app = new AppBuilder(Now).WithIds("app-1", "a").Named("Payroll API").WithOwner(OwnerKind.Entra, "scoped-out").Build();

        Assert.True(Authorizer.DecideApprover(Principal("scoped-out"), app, Request("adding an Entra owner"), ScopesOf("scoped-out")).Allowed);
    }

    /// <summary>
    /// Payroll API: an Entra owner, a technical owner with ManageCredentials, one without, a business owner, a disabled
    /// Entra owner, a disabled technical owner (to replace), and the requester who is an Entra owner too.
    /// </summary>
    private static App Payroll() => new AppBuilder(Now).Named("Payroll API").WithIds("app-1", "appid-1")
        .WithOwner(OwnerKind.Entra, "entra")
        .WithOwner(OwnerKind.Technical, "rotator", canManageCredentials: true)
        .WithOwner(OwnerKind.Technical, "watcher", canManageCredentials: false)
        .WithOwner(OwnerKind.Business, "business")
        .WithOwner(OwnerKind.Entra, "disabled-entra", enabled: false)
        .WithOwner(OwnerKind.Technical, "disabled-technical", enabled: false)
        .WithOwner(OwnerKind.Business, "deleted-business", deleted: true)
        .WithOwner(OwnerKind.Entra, "requester")
        .Build();

    private static Principal Principal(string person) => new(person, person, IsAdmin: person is "admin" or "requester");

    /// <summary>"scoped-in" administers the Payroll scope (name:Payroll*), "scoped-out" only the Travel one; others none.</summary>
    private static IReadOnlyList<AdminScope> ScopesOf(string person) => person switch
    {
        "scoped-in" => [new AdminScope("Payroll", [person], [], [new(AppSelectorKind.NamePattern, "Payroll*")])],
        "scoped-out" => [new AdminScope("Travel", [person], [], [new(AppSelectorKind.Tag, "travel"), new(AppSelectorKind.NamePattern, "Travel*")])],
        _ => [],
    };

    private static AccessRequest Request(string described)
    {
        var kind = described.Contains("Entra", StringComparison.Ordinal) ? OwnerKind.Entra
            : described.Contains("technical", StringComparison.Ordinal) ? OwnerKind.Technical
            : OwnerKind.Business;
        var rotates = described.Contains("ManageCredentials", StringComparison.Ordinal);
        var change = new OwnerChange("newcomer", "Newcomer", "newcomer@example.com", kind, rotates);
        return described switch
        {
            "an elevation to rotate credentials" => Pending(AccessRequestKind.Elevation, "requester", AppRight.ManageCredentials, null),
            "an elevation to manage owners" => Pending(AccessRequestKind.Elevation, "requester", AppRight.ManageOwners, null),
            _ when described.StartsWith("adding", StringComparison.Ordinal) => Pending(AccessRequestKind.AddOwner, "requester", null, change),
            _ when described.StartsWith("transferring", StringComparison.Ordinal) => Pending(AccessRequestKind.TransferOwnership, "requester", null, change with { ReplacesObjectId = "requester" }),
            _ => Pending(AccessRequestKind.TransferOwnership, "requester", null, change with { ReplacesObjectId = kind switch { OwnerKind.Entra => "disabled-entra", OwnerKind.Technical => "disabled-technical", _ => "deleted-business" } }),
        };
    }

    private static AccessRequest Pending(AccessRequestKind kind, string requester, AppRight? right, OwnerChange? change) => new(
        7, kind, "app-1", requester, requester, right, right is null ? null : TimeSpan.FromHours(2), "Release", null, change,
        AccessRequestStatus.Pending, Now, Now + AccessRequest.DecisionWindow);
}
