using CredentialBot.Domain;

namespace CredentialBot.Domain.Tests;

/// <summary>A request for a new app registration: what it must say, who may decide it, and its one-way state machine.</summary>
public sealed class AppRegistrationRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly RequestedPerson Alex = new("alex", "Alex Wilber", "alexw@example.com");
    private static readonly RequestedPerson Patti = new("patti", "Patti Fernandez", "pattif@example.com");
    private static readonly Principal Admin = new("megan", "Megan Bowen", IsAdmin: true);
    private static readonly Principal Adele = new("adele", "Adele Vance", IsAdmin: false);
    private static readonly AdminScope PayrollScope = new("Payroll", ["adele"], [], [new AppSelector(AppSelectorKind.NamePattern, "Payroll*")]);
    private static readonly AdminScope TaggedScope = new("Tagged", ["adele"], [], [new AppSelector(AppSelectorKind.Tag, "payroll")]);

    private static AppRegistrationRequest Request(string name = "Payroll Exporter") =>
        new(7, name, "Exports payroll to the bank", AppRegistrationType.Daemon, [Alex], Patti, "Default app registrations", null, "alex", "Alex Wilber", AppRegistrationRequestStatus.Pending, Now, Now + AppRegistrationRequest.DecisionWindow);

    [Theory]
    [InlineData("Invoice Reader")]
    [InlineData("HR-Portal_v2 (prod) & co.")]
    [InlineData("O'Brien, Smith + Partners")]
    [InlineData("Zahlungsprüfung 2026")]
    [InlineData("abc")]
    public void NameProblems_AnOrdinaryName_HasNone(string name) => Assert.Empty(AppRegistrationRules.NameProblems(name));

    [Theory]
    [InlineData(null, "at least 3 characters")]
    [InlineData("ab", "at least 3 characters")]
    [InlineData("Invoice <Reader>", "not '<' '>'")]
    [InlineData("Invoice\tReader", "not U+0009")]
    [InlineData("[Payroll](https://evil.example)", "not '[' ']' ':' '/'")]
    [InlineData("-Payroll", "must start with a letter or a digit")]
    [InlineData("Payroll  API", "two spaces in a row")]
    public void NameProblems_ABadName_SaysWhy(string? name, string problem) =>
        Assert.Contains(AppRegistrationRules.NameProblems(name), p => p.Contains(problem, StringComparison.Ordinal));

    [Fact]
    public void NameProblems_ANameOverTheLimit_GivesItsLength() =>
        Assert.Contains($"The name is 121 characters; at most {AppRegistrationRules.MaxNameLength}.", AppRegistrationRules.NameProblems(new string('a', 121)));

    [Theory]
    [InlineData("", "Describe the app's purpose")]
    [InlineData("Daemonz", "Choose what kind of app it is.")]
    [InlineData("3", "Choose what kind of app it is.")]
    public void Problems_ABadPurposeOrKind_IsNamed(string type, string problem)
    {
        var purpose = type.Length == 0 ? "short" : "Exports payroll to the bank";
        var kind = type.Length == 0 ? "Daemon" : type;

        Assert.Contains(AppRegistrationRules.Problems("Payroll Exporter", purpose, kind, 1, true, null), p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_NoOwnersAndALongTicket_AreEachNamed()
    {
        var problems = AppRegistrationRules.Problems("Payroll Exporter", "Exports payroll to the bank", "Daemon", 0, false, new string('1', 65));

        Assert.Equal(3, problems.Count);
        Assert.Contains("Name at least one technical owner: the people who will rotate its secrets.", problems);
        Assert.Contains("Name the business owner: the person accountable for the app.", problems);
        Assert.Contains("The ticket number is 65 characters; at most 64.", problems);
    }

    [Fact]
    public void SplitPeople_ReadsCommasSemicolonsAndLines_WithoutDuplicates() =>
        Assert.Equal(["a@x.com", "b@x.com", "c@x.com"], AppRegistrationRules.SplitPeople("a@x.com, b@x.com;\nc@x.com A@X.com"));

    public static TheoryData<Principal, AdminScope[], bool, string> Deciders => new()
    {
        { Admin, [], true, "CredentialBot admin" },
        { new Principal("alex", "Alex Wilber", IsAdmin: true), [], false, "You cannot approve or deny your own request" },
        { Adele, [PayrollScope], true, "admin of scope Payroll, which the new app falls in" },
        { Adele, [TaggedScope], false, "would not fall in your scope (Tagged (tag:payroll))" },
        { Adele, [], false, "Only a CredentialBot admin, or a scoped admin" },
        { new Principal(string.Empty, null, IsAdmin: true), [], false, "Teams did not say who you are." },
    };

    [Theory]
    [MemberData(nameof(Deciders))]
    public void MayDecide_IsForAdminsAndCoveringScopedAdmins_NeverTheRequester(Principal who, AdminScope[] scopes, bool allowed, string explanation)
    {
        var decision = AppRegistrationApprovers.MayDecide(who, Request(), scopes);

        Assert.Equal(allowed, decision.Allowed);
        Assert.Contains(explanation, decision.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void MayDecide_AScopeCoversTheNewAppByItsName_NotAnotherName() =>
        Assert.False(AppRegistrationApprovers.MayDecide(Adele, Request("Invoice Reader"), [PayrollScope]).Allowed);

    [Fact]
    public void Decide_Approve_MovesToApprovedOnce_AndASecondDecisionIsRefused()
    {
        var (approved, _) = Request().Decide(Admin, [], approve: true, null, Now);

        Assert.Equal((AppRegistrationRequestStatus.Approved, "megan", Now), (approved!.Status, approved.DecidedByObjectId, approved.DecidedAt!.Value));
        var (again, refusal) = approved.Decide(Admin, [], approve: false, "changed my mind", Now);
        Assert.Null(again);
        Assert.Equal("This request was already approved by Megan Bowen.", refusal.Explanation);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void Decide_ADenialWithoutAReason_IsRefused(string? reason)
    {
        var (denied, refusal) = Request().Decide(Admin, [], approve: false, reason, Now);

        Assert.Null(denied);
        Assert.Equal("Say why you deny it: the requester is told your reason.", refusal.Explanation);
    }

    [Theory]
    [InlineData("bad\u0007bell")]
    [InlineData(null)]
    public void Decide_AReasonTooLongOrWithControlCharacters_IsRefused(string? reason)
    {
        var (denied, refusal) = Request().Decide(Admin, [], approve: false, reason ?? new string('x', AppRegistrationRequest.MaxReasonLength + 1), Now);

        Assert.Null(denied);
        Assert.Contains("at most 500 characters", refusal.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ADenialWithAReason_KeepsItTrimmed()
    {
        var (denied, _) = Request().Decide(Admin, [], approve: false, "  Use the existing app.\nThanks  ", Now);

        Assert.Equal((AppRegistrationRequestStatus.Denied, "Use the existing app.\nThanks"), (denied!.Status, denied.Reason));
    }

    [Fact]
    public void Decide_AfterTheWindow_IsRefusedAsExpired()
    {
        var late = Now + AppRegistrationRequest.DecisionWindow;

        var (decided, refusal) = Request().Decide(Admin, [], approve: true, null, late);

        Assert.Null(decided);
        Assert.Equal(AppRegistrationRequestStatus.Expired, Request().StatusAt(late));
        Assert.StartsWith("This request expired", refusal.Explanation, StringComparison.Ordinal);
    }
}
