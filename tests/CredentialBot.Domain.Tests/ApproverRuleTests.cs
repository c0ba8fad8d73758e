using CredentialBot.Domain;
using CredentialBot.TestKit.Builders;

namespace CredentialBot.Domain.Tests;

/// <summary>
/// Who may decide a request: an admin, or someone holding what approving grants through ownership or an assigned right
/// — never through an elevation grant, never the requester. The table covers every kind of person against every kind
/// of request.
/// </summary>
public sealed class ApproverRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Everyone who could click Approve. The requester is an Entra owner and an admin: even so, never.</summary>
    private static readonly string[] People = ["entra", "rotator", "watcher", "business", "disabled-entra", "stranger", "grant-holder", "admin", "requester"];

    /// <summary>Each kind of request, and exactly who may decide it.</summary>
    private static readonly (string Request, string Approvers)[] Table =
    [
        ("an elevation to rotate credentials", "entra rotator admin"),
        ("an elevation to manage owners", "entra admin"),
        ("adding an Entra owner", "entra admin"),
        ("adding a technical owner with the ManageCredentials right", "entra admin"),
        ("adding a technical owner", "entra admin"),
        ("adding a business owner", "entra admin"),
        ("transferring Entra ownership", "entra admin"),
        ("transferring technical ownership with the ManageCredentials right", "entra admin"),
        ("transferring technical ownership", "entra admin"),
        ("transferring business ownership", "entra admin"),
        ("replacing a disabled or deleted Entra owner", "entra admin"),
        ("replacing a disabled or deleted technical owner with the ManageCredentials right", "entra admin"),
        ("replacing a disabled or deleted technical owner", "entra admin"),
        ("replacing a disabled or deleted business owner", "entra admin"),
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
        var decision = Authorizer.DecideApprover(Principal(person), Payroll(), Request(request));

        Assert.Equal(allowed, decision.Allowed);
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
            Assert.Equal(approvers.Split(' ').Where(p => p != "admin"), owners);
        }
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
