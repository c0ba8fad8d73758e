using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.Directory.Tests;

/// <summary>App registrations created from Teams, through the Graph SDK against the Simulator, under full and least permissions.</summary>
public sealed class CreatingApplications : IAsyncLifetime
{
    private SimulatedDemoTenant _demo = null!;


    private ITenantDirectory Directory => _demo.Directory;

    private ITenantAdministration Administration => _demo.Administration;

    public async Task InitializeAsync() => _demo = await SimulatedDemoTenant.StartAsync();

    public async Task DisposeAsync() => await _demo.DisposeAsync();

    private static NewApplication Request(string name = "Invoice Reader", params string[] owners) =>
        new(name, DemoTenant.CredentialBotServicePrincipal, owners.Length == 0 ? [DemoTenant.Alex] : owners, "Reads invoices for finance", "Requested in Teams by Alex", ["team:finance"]);

    [Fact]
    public async Task ANewApp_IsSingleTenant_HasItsServicePrincipal_AndIsOwnedByTheBotAndThePeople()
    {
        var result = await Administration.CreateApplicationAsync(Request(owners: [DemoTenant.Alex, DemoTenant.Megan]));

        var created = result.Value!;
        Assert.True(created.IsComplete);
        var stored = _demo.Tenant.Find(created.App.ObjectId)!;
        Assert.Equal(("Invoice Reader", "AzureADMyOrg", "Reads invoices for finance", "Requested in Teams by Alex"), (stored.DisplayName, stored.SignInAudience, stored.Description, stored.Notes));
        Assert.Equal(["team:finance"], stored.Tags);
        Assert.Equal([DemoTenant.CredentialBotServicePrincipal, DemoTenant.Alex, DemoTenant.Megan], stored.OwnerIds);
        var servicePrincipal = _demo.Tenant.Find(created.ServicePrincipalObjectId!)!;
        Assert.Equal((SimObjectKind.ServicePrincipal, stored.AppId), (servicePrincipal.Kind, servicePrincipal.AppId));

        // As a scan sees it: people as Entra owners (the bot's service principal is not a person), no credentials yet.
        Assert.Equal((stored.AppId, "Invoice Reader", AppKind.Application), (created.App.AppId, created.App.DisplayName, created.App.Kind));
        Assert.Equal([DemoTenant.Alex, DemoTenant.Megan], created.App.OwnersOf(OwnerKind.Entra).Select(o => o.ObjectId).Order(StringComparer.Ordinal));
        Assert.Empty(created.App.Credentials);
    }

    [Fact]
    public async Task ANewApp_IsSeenByTheNextDeltaRound_AndByAFullListing()
    {
        var link = await Directory.GetLatestDeltaLinkAsync(AppKind.Application);

        var created = (await Administration.CreateApplicationAsync(Request())).Value!;

        var changes = await TestDirectory.ToListAsync(Directory.GetChangesAsync(AppKind.Application, link));
        var changed = Assert.Single(changes.SelectMany(c => c.Changed));
        Assert.Equal((created.App.ObjectId, created.App.DisplayName), (changed.ObjectId, changed.DisplayName));
        Assert.Equal(created.App.Owners, changed.Owners);
        Assert.Contains(await TestDirectory.ToListAsync(Directory.GetApplicationsAsync()), a => a.ObjectId == created.App.ObjectId);
    }

    [Fact]
    public async Task WithOnlyOwnedBy_TheAppIsCreatedAndTheBotManagesIt_ButPeopleCannotBeAddedAsOwners()
    {
        _demo.Tenant.GrantedPermissions = new HashSet<string> { "Application.ReadWrite.OwnedBy", "Application.Read.All", "User.Read.All" };

        var created = (await Administration.CreateApplicationAsync(Request())).Value!;

        Assert.NotNull(created.ServicePrincipalObjectId);
        var refusal = Assert.Single(created.NotDone);
        Assert.Equal((DirectoryRefusalKind.MissingPermission, "Application.ReadWrite.All"), (refusal.Kind, refusal.RequiredPermission));
        Assert.Equal([DemoTenant.CredentialBotServicePrincipal], _demo.Tenant.Find(created.App.ObjectId)!.OwnerIds);

        // OwnedBy reaches what the bot owns, and only that.
        var certificate = SampleCertificates.Public("CN=invoice-reader");
        var added = await Administration.AddCertificateAsync(AppKind.Application, created.App.ObjectId, certificate, null);
        Assert.True(added.Value is not null, added.Refusal?.Reason);
        var elsewhere = await Administration.AddCertificateAsync(AppKind.Application, DemoTenant.ObjectId(1), certificate, null);
        Assert.Equal(DirectoryRefusalKind.MissingPermission, elsewhere.Refusal?.Kind);
        Assert.Single(_demo.Tenant.Find(DemoTenant.ObjectId(1))!.KeyCredentials);
    }

    [Fact]
    public async Task WithoutAnyPermissionToCreate_TheRefusalNamesOne_AndNothingIsCreated()
    {
        _demo.Tenant.GrantedPermissions = new HashSet<string> { "Application.Read.All" };
        var before = _demo.Tenant.Applications.Count;

        var result = await Administration.CreateApplicationAsync(Request());

        Assert.Equal((DirectoryRefusalKind.MissingPermission, "Application.ReadWrite.OwnedBy"), (result.Refusal?.Kind, result.Refusal?.RequiredPermission));
        Assert.Equal(before, _demo.Tenant.Applications.Count);
    }

    [Theory]
    [InlineData("", "Give the app a name.")]
    [InlineData("   ", "Give the app a name.")]
    [InlineData("Line\nbreak", "control characters")]
    public async Task ABadRequest_IsRefusedBeforeGraphIsAsked(string name, string problem)
    {
        var requests = _demo.Tenant.RequestCount;

        var result = await Administration.CreateApplicationAsync(Request(name));

        Assert.Equal(DirectoryRefusalKind.Invalid, result.Refusal?.Kind);
        Assert.Contains(problem, result.Refusal!.Reason, StringComparison.Ordinal);
        Assert.Equal(requests, _demo.Tenant.RequestCount);
    }

    [Fact]
    public async Task AnOwnerWhoDoesNotExist_IsReported_AndTheOthersAreStillAdded()
    {
        var created = (await Administration.CreateApplicationAsync(Request(owners: ["no-such-person", DemoTenant.Megan]))).Value!;

        Assert.Equal(DirectoryRefusalKind.NotFound, Assert.Single(created.NotDone).Kind);
        Assert.Contains(DemoTenant.Megan, _demo.Tenant.Find(created.App.ObjectId)!.OwnerIds);
    }

    [Fact]
    public async Task ANameIsFound_WhateverItsCase_AndQuotesCannotWidenTheFilter()
    {
        var tricky = "O'Brien & Co #1 + 50%/x?";
        await Administration.CreateApplicationAsync(Request(tricky));

        Assert.Equal(tricky, Assert.Single(await Directory.FindApplicationsByNameAsync(tricky.ToUpperInvariant())).DisplayName);
        Assert.Equal(DemoTenant.ObjectId(1), Assert.Single(await Directory.FindApplicationsByNameAsync("payroll api")).ObjectId);
        Assert.Empty(await Directory.FindApplicationsByNameAsync("x' or displayName eq 'Payroll API"));
        Assert.Empty(await Directory.FindApplicationsByNameAsync("Payroll"));
    }
}
