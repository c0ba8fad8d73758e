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
    private readonly FakeTimeProvider _time = new();
    private SimulatorTenant _tenant = null!;
    private SimulatorServer _server = null!;
    private ServiceProvider _services = null!;

    private ITenantDirectory Directory => _services.GetRequiredService<ITenantDirectory>();

    public async Task InitializeAsync()
    {
        _tenant = DemoTenant.Create(_time);
        _server = await SimulatorServer.StartAsync(_tenant);
        _services = TestDirectory.Build(_server.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task AnOwnerDisabledOrDeletedAfterTheListing_IsMissedByDelta_ButFoundByReadingThePeople()
    {
        var link = await Directory.GetLatestDeltaLinkAsync(AppKind.Application);
        var engineers = _tenant.Users.Where(u => u.DisplayName.StartsWith("Platform Engineer", StringComparison.Ordinal)).Select(u => u.Id).ToList();
        _tenant.AddUser(_tenant.FindUser(DemoTenant.Alex)! with { AccountEnabled = false });
        _tenant.RemoveUser(engineers[3]);

        var changes = await TestDirectory.ToListAsync(Directory.GetChangesAsync(AppKind.Application, link));
        var httpBefore = _tenant.HttpRequestCount;
        var lowBefore = _tenant.LowPriorityRequestCount;
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
        Assert.Equal(1, _tenant.HttpRequestCount - httpBefore);
        Assert.Equal(1, _tenant.LowPriorityRequestCount - lowBefore);
    }

    [Fact]
    public async Task NoPeople_AskNothing()
    {
        var before = _tenant.HttpRequestCount;

        Assert.Empty(await Directory.GetPeopleAsync([]));
        Assert.Equal(before, _tenant.HttpRequestCount);
    }
}
