using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.Directory.Tests;

/// <summary>
/// Owners disabled or deleted after the last full listing: delta rounds cannot see it (the Apps did not change), so the
/// scan asks for the people themselves.
/// </summary>
public sealed class OwnersBetweenScans : IAsyncLifetime
{
    private SimulatedDemoTenant _demo = null!;


    private ITenantDirectory Directory => _demo.Directory;

    public async Task InitializeAsync() => _demo = await SimulatedDemoTenant.StartAsync();

    public async Task DisposeAsync() => await _demo.DisposeAsync();

    [Fact]
    public async Task AnOwnerDisabledOrDeletedAfterTheListing_IsMissedByDelta_ButFoundByReadingThePeople()
    {
        var link = await Directory.GetLatestDeltaLinkAsync(AppKind.Application);
        var engineers = _demo.Tenant.Users.Where(u => u.DisplayName.StartsWith("Platform Engineer", StringComparison.Ordinal)).Select(u => u.Id).ToList();
        _demo.Tenant.AddUser(_demo.Tenant.FindUser(DemoTenant.Alex)! with { AccountEnabled = false });
        _demo.Tenant.RemoveUser(engineers[3]);

        var changes = await TestDirectory.ToListAsync(Directory.GetChangesAsync(AppKind.Application, link));
        var httpBefore = _demo.Tenant.HttpRequestCount;
        var lowBefore = _demo.Tenant.LowPriorityRequestCount;
        List<string> asked = [.. engineers, DemoTenant.Alex, DemoTenant.Megan, DemoTenant.Diego, "no-such-person", "x' or accountEnabled eq true or id eq 'y"];
        var people = await Directory.GetPeopleAsync(asked);

        Assert.Empty(changes.SelectMany(c => c.Changed));
        Assert.False(people[DemoTenant.Alex].AccountEnabled);
        Assert.False(people[DemoTenant.Diego].AccountEnabled);
        Assert.True(people[DemoTenant.Megan].AccountEnabled);
        Assert.DoesNotContain(engineers[3], people.Keys);
        Assert.Equal(asked.Count - 3, people.Count);
        Assert.Equal("Megan Bowen", people[DemoTenant.Megan].DisplayName);

        // 30 ids: two filters of 15, in one $batch, as background work.
        Assert.Equal(1, _demo.Tenant.HttpRequestCount - httpBefore);
        Assert.Equal(1, _demo.Tenant.LowPriorityRequestCount - lowBefore);
    }

    [Fact]
    public async Task NoPeople_AskNothing()
    {
        var before = _demo.Tenant.HttpRequestCount;

        Assert.Empty(await Directory.GetPeopleAsync([]));
        Assert.Equal(before, _demo.Tenant.HttpRequestCount);
    }
}
