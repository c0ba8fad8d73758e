using CredentialBot.AppRequests;
using CredentialBot.Domain;
using CredentialBot.TestKit.Time;

namespace CredentialBot.Tests.Cards;

/// <summary>The request form and the approval card for a new app registration, at each step, pinned by golden files.</summary>
public sealed class AppRequestCardTests
{
    private static readonly DateTimeOffset Now = TestClock.DefaultStart;

    private static readonly AppRegistrationRequest Pending = new(
        12,
        "Invoice Reader",
        "Reads supplier invoices from the finance mailbox and files them in SharePoint.",
        AppRegistrationType.Daemon,
        [new RequestedPerson("alex", "Alex Wilber", "alexw@example.com"), new RequestedPerson("isaiah", "Isaiah Langer", "isaiahl@example.com")],
        new RequestedPerson("patti", "Patti Fernandez", "pattif@example.com"),
        "Default app registrations",
        "CHG0012345",
        "alex",
        "Alex Wilber",
        AppRegistrationRequestStatus.Pending,
        Now,
        Now + AppRegistrationRequest.DecisionWindow);

    [Fact]
    public Task TheForm_WithProblems_KeepsWhatWasTyped() => GoldenCards.AssertMatchesAsync(
        "app-request-form",
        AppRequestCards.Form(
            new AppRequestInput("ab", "Reads invoices", "Daemon", "alexw@example.com, nobody@example.com", "pattif@example.com", "Default app registrations", null),
            ["Default app registrations", "Default enterprise applications"],
            "c0nf1rm",
            ["Give the app a name of at least 3 characters.", "Nobody in the directory matches 'nobody@example.com'. Use their user principal name or email address."]));

    [Fact]
    public Task ThePendingApproval_HasAReasonBoxApproveDenyAndRefresh_AndWarnsOfADuplicate() => GoldenCards.AssertMatchesAsync(
        "app-request-pending",
        AppRequestCards.Approval(Pending, Now, ["1 app named 'Invoice Reader' already exists (appId 1f2e3d4c-0000-0000-0000-0000000000c9): a second one with the same name is allowed, but confusing."], ["29:megan"]));

    [Fact]
    public Task ACreatedRequest_SaysWhatWasNotDone_WithoutButtons() => GoldenCards.AssertMatchesAsync(
        "app-request-created",
        AppRequestCards.Approval(
            Pending with { Status = AppRegistrationRequestStatus.Created, DecidedByName = "Megan Bowen", DecidedAt = Now.AddMinutes(5), CreatedAppObjectId = "app-1", Outcome = "CredentialBot may not make isaiahl@example.com an owner of the new app: grant it the Graph permission Application.ReadWrite.All." },
            Now.AddMinutes(5),
            [],
            ["29:megan"],
            "Created 'Invoice Reader' (appId 1f2e3d4c-0000-0000-0000-0000000000c9); the requester got its status card."));

    [Fact]
    public Task ADeniedRequest_ShowsTheReason() => GoldenCards.AssertMatchesAsync(
        "app-request-denied",
        AppRequestCards.Approval(Pending with { Status = AppRegistrationRequestStatus.Denied, DecidedByName = "Megan Bowen", DecidedAt = Now.AddHours(1), Reason = "Use the existing Finance Reconciliation app." }, Now.AddHours(1), [], []));
}
