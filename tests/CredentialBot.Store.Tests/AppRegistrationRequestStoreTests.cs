using CredentialBot.Domain;
using CredentialBot.Store.Services;

namespace CredentialBot.Store.Tests;

/// <summary>
/// Requests for new app registrations: each step is taken once, whoever races for it. Run on SQLite and PostgreSQL,
/// each racer with its own connection, as two admins on two instances would be.
/// </summary>
public abstract class AppRegistrationRequestStoreTests(ITestStore store) : IAsyncLifetime
{
    public Task InitializeAsync() => store.InitializeAsync();

    public Task DisposeAsync() => store.DisposeAsync();

    [Fact]
    public async Task ARequest_ReadsBackWithItsPeople()
    {
        var created = await CreateAsync();

        await using var db = store.NewContext();
        var read = (await new AppRegistrationRequestStore(db).GetAsync(created.Id))!;
        Assert.Equal(created with { TechnicalOwners = [] }, read with { TechnicalOwners = [] });
        Assert.Equal(created.TechnicalOwners, read.TechnicalOwners);
    }

    [Fact]
    public async Task TwentyApproversAtOnce_MoveTheRequestOnce()
    {
        var request = await CreateAsync();
        var now = store.Time.GetUtcNow();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            await using var db = store.NewContext();
            var decided = request with { Status = i % 2 == 0 ? AppRegistrationRequestStatus.Approved : AppRegistrationRequestStatus.Denied, DecidedByObjectId = $"admin-{i}", DecidedAt = now, Reason = i % 2 == 0 ? null : "no" };
            return (i, won: await new AppRegistrationRequestStore(db).RecordDecisionAsync(decided));
        }));

        var winner = Assert.Single(results, r => r.won);
        await using var check = store.NewContext();
        var stored = (await new AppRegistrationRequestStore(check).GetAsync(request.Id))!;
        Assert.Equal($"admin-{winner.i}", stored.DecidedByObjectId);
    }

    [Fact]
    public async Task TheOutcome_IsRecordedOnlyOnceAndOnlyAfterApproval()
    {
        var request = await CreateAsync();
        await using var db = store.NewContext();
        var requests = new AppRegistrationRequestStore(db);

        Assert.False(await requests.RecordOutcomeAsync(request.Id, AppRegistrationRequestStatus.Created, "app-1", null));
        Assert.True(await requests.RecordDecisionAsync(request with { Status = AppRegistrationRequestStatus.Approved, DecidedByObjectId = "megan" }));
        Assert.True(await requests.RecordOutcomeAsync(request.Id, AppRegistrationRequestStatus.Created, "app-1", null));
        Assert.False(await requests.RecordOutcomeAsync(request.Id, AppRegistrationRequestStatus.Failed, null, "late"));
        Assert.Equal((AppRegistrationRequestStatus.Created, "app-1"), ((await requests.GetAsync(request.Id))!.Status, (await requests.GetAsync(request.Id))!.CreatedAppObjectId));
    }

    [Fact]
    public async Task OpenRequestsForTheSameName_AreCounted_WhateverTheCase()
    {
        var first = await CreateAsync();
        await CreateAsync("INVOICE reader");
        await using var db = store.NewContext();

        Assert.Equal(1, await new AppRegistrationRequestStore(db).CountOpenWithNameAsync("invoice Reader", first.Id));
        Assert.Equal(0, await new AppRegistrationRequestStore(db).CountOpenWithNameAsync("Payroll Exporter"));
    }

    private async Task<AppRegistrationRequest> CreateAsync(string name = "Invoice Reader")
    {
        var now = store.Time.GetUtcNow();
        await using var db = store.NewContext();
        return await new AppRegistrationRequestStore(db).CreateAsync(new AppRegistrationRequest(
            0, name, "Reads supplier invoices", AppRegistrationType.Daemon,
            [new RequestedPerson("alex", "Alex Wilber", "alexw@example.com"), new RequestedPerson("isaiah", "Isaiah Langer", null)],
            new RequestedPerson("patti", "Patti Fernandez", "pattif@example.com"),
            "Default app registrations", "CHG1", "alex", "Alex Wilber", AppRegistrationRequestStatus.Pending, now, now + AppRegistrationRequest.DecisionWindow));
    }
}
