using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;
using CredentialBot.TestKit.Logging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Store.Tests;

/// <summary>
/// The most specific policy assignment wins: App, then tag, then name pattern, then the kind's default. Default
/// policies are seeded idempotently, by every instance at once. On SQLite and on PostgreSQL.
/// </summary>
public abstract class PolicyStoreTests<TStore> : IAsyncLifetime
    where TStore : ITestStore, new()
{
    private readonly TStore _store = new();

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        await using var db = _store.NewContext();
        var policies = new PolicyStore(db);
        await policies.EnsureDefaultsAsync();
        foreach (var name in new[] { "Pattern", "Tag", "App" })
        {
            await policies.SaveAsync(Policy.Default with { Name = name });
        }
    }

    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task HandsFreeRotation_IsKept_AndTurnedOffAgain()
    {
        await using var db = _store.NewContext();
        var policies = new PolicyStore(db);
        await policies.SaveAsync(Policy.Default with { Name = "Tag", AutomaticRotation = new AutomaticRotation(14, 5) });
        await policies.AssignAsync("Tag", AssignmentTarget.Tag, "HandsFree");
        var app = new AppBuilder(_store.Time.GetUtcNow()).WithTag("HandsFree").Build();

        Assert.Equal(new AutomaticRotation(14, 5), (await policies.GetPolicyForAsync(app)).AutomaticRotation);
        Assert.Equal(new AutomaticRotation(14, 5), (await policies.GetResolverAsync())(app).AutomaticRotation);

        await policies.SaveAsync(Policy.Default with { Name = "Tag" });
        Assert.Null((await policies.GetPolicyForAsync(app)).AutomaticRotation);
    }

    [Fact]
    public async Task AHandsFreeOptionOutsideTheStages_IsNotSaved()
    {
        await using var db = _store.NewContext();
        var policies = new PolicyStore(db);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => policies.SaveAsync(Policy.Default with { Name = "Tag", AutomaticRotation = new AutomaticRotation(60, 5) }));

        Assert.Contains("outside the policy's stages", refused.Message, StringComparison.Ordinal);
        Assert.Null((await policies.ListAsync()).Single(p => p.Name == "Tag").AutomaticRotation);
    }

    [Fact]
    public async Task Defaults_ArePerKind_AndSeededOnce()
    {
        await using var db = _store.NewContext();
        var policies = new PolicyStore(db);
        await policies.EnsureDefaultsAsync();

        Assert.Equal(PolicyStore.DefaultApplicationsPolicy, (await policies.GetPolicyForAsync(App().Build())).Name);
        Assert.Equal(PolicyStore.DefaultServicePrincipalsPolicy, (await policies.GetPolicyForAsync(App().AsServicePrincipal().Build())).Name);
        Assert.Equal(5, (await policies.ListAsync()).Count);
    }

    [Fact]
    public async Task RacingSeeders_OnAnEmptyStore_CreateEachDefaultOnce_WithoutErrors()
    {
        var fresh = new TStore();
        await fresh.InitializeAsync();
        try
        {
            var logs = new LogCapture();

            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                await using var db = fresh.NewContext(logs);
                await new PolicyStore(db).EnsureDefaultsAsync();
            })));

            await using var check = fresh.NewContext();
            Assert.Equal([PolicyStore.DefaultApplicationsPolicy, PolicyStore.DefaultServicePrincipalsPolicy], await check.Policies.OrderBy(p => p.Name).Select(p => p.Name).ToListAsync());
            Assert.Equal(2, await check.PolicyAssignments.CountAsync());
            Assert.Empty(logs.AtLeast(LogLevel.Error));
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    [Fact]
    public async Task SeedingAgain_KeepsWhatAnAdminChanged()
    {
        await using (var db = _store.NewContext())
        {
            var policies = new PolicyStore(db);
            await policies.SaveAsync(Policy.Default with { Name = PolicyStore.DefaultApplicationsPolicy, ExpiryStagesDays = [60, 30] });
            await policies.AssignAsync("Tag", AssignmentTarget.AppKindDefault, nameof(AppKind.ServicePrincipal));
        }

        await using (var db = _store.NewContext())
        {
            await new PolicyStore(db).EnsureDefaultsAsync();
        }

        Assert.Equal([60, 30], (await PolicyForAsync(App().Build())).ExpiryStagesDays);
        Assert.Equal("Tag", await PolicyNameForAsync(App().AsServicePrincipal().Build()));
    }

    [Fact]
    public async Task SeededDefaults_CarryEverySettingOfTheDefaultPolicy()
    {
        var seeded = await PolicyForAsync(App().AsServicePrincipal().Build());

        Assert.Equal(Policy.Default with { Name = PolicyStore.DefaultServicePrincipalsPolicy, MinimumEntraOwners = 0, ExpiryStagesDays = seeded.ExpiryStagesDays }, seeded);
        Assert.Equal(Policy.Default.ExpiryStagesDays, seeded.ExpiryStagesDays);
    }

    [Fact]
    public async Task ANamePattern_BeatsTheKindDefault()
    {
        await AssignAsync("Pattern", AssignmentTarget.NamePattern, "payroll*");

        Assert.Equal("Pattern", await PolicyNameForAsync(App().Build()));
        Assert.Equal(PolicyStore.DefaultApplicationsPolicy, await PolicyNameForAsync(App().Named("Expenses").Build()));
    }

    [Fact]
    public async Task ATag_BeatsANamePattern()
    {
        await AssignAsync("Pattern", AssignmentTarget.NamePattern, "Payroll*");
        await AssignAsync("Tag", AssignmentTarget.Tag, "finance");

        Assert.Equal("Tag", await PolicyNameForAsync(App().WithTag("Finance").Build()));
    }

    [Fact]
    public async Task TheAppItself_BeatsEverything_ByAppIdOrObjectId()
    {
        await AssignAsync("Tag", AssignmentTarget.Tag, "finance");
        await AssignAsync("App", AssignmentTarget.App, "app-1");

        Assert.Equal("App", await PolicyNameForAsync(App().WithTag("finance").Build()));
    }

    [Fact]
    public async Task APolicy_RoundTripsEverySetting()
    {
        var custom = new Policy("Strict", [60, 30, 7], 2, 2, 1, TimeSpan.FromDays(90), TimeSpan.FromDays(3), new ElevationSettings(true, true, TimeSpan.FromHours(4), true), "19:approvals@thread.tacv2");
        await using (var db = _store.NewContext())
        {
            await new PolicyStore(db).SaveAsync(custom);
        }

        await AssignAsync("Strict", AssignmentTarget.App, "obj-1");

        var read = await PolicyForAsync(App().Build());
        Assert.Equal(custom with { ExpiryStagesDays = read.ExpiryStagesDays }, read);
        Assert.Equal([60, 30, 7], read.ExpiryStagesDays);
    }

    [Fact]
    public async Task AnInvalidPolicy_IsRefused_AndTheStoredOneIsUntouched()
    {
        await using var db = _store.NewContext();
        var store = new PolicyStore(db);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync(Policy.Default with { Name = "Tag", ExpiryStagesDays = [120] }));

        Assert.Contains("between 7 and 90", error.Message, StringComparison.Ordinal);
        Assert.Equal([30, 14, 7, 1], (await store.ListAsync()).Single(p => p.Name == "Tag").ExpiryStagesDays);
    }

    [Fact]
    public async Task AdminsSavingAndAssigningTheSamePolicyAtOnce_AllSucceed_WithOneRowEach()
    {
        // Each admin waits, after any look for the row, until all have looked: a read-then-insert would fail all but one.
        using var allLooked = new Barrier(8);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            await using (var db = _store.NewContext(new AfterFirstRead("Policies", () => allLooked.SignalAndWait(TimeSpan.FromSeconds(10)))))
            {
                await new PolicyStore(db).SaveAsync(Policy.Default with { Name = "Payments", MinimumTechnicalOwners = 1 + (i % 2) });
            }
        })));
        using var allLookedAgain = new Barrier(8);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            await using var db = _store.NewContext(new AfterFirstRead("PolicyAssignments", () => allLookedAgain.SignalAndWait(TimeSpan.FromSeconds(10))));
            await new PolicyStore(db).AssignAsync(i % 2 == 0 ? "Payments" : "Tag", AssignmentTarget.Tag, "payments");
        })));

        await using var check = _store.NewContext();
        Assert.Equal(1, await check.Policies.CountAsync(p => p.Name == "Payments"));
        var assignment = await check.PolicyAssignments.Include(a => a.Policy).SingleAsync(a => a.Target == AssignmentTarget.Tag && a.Value == "payments");
        Assert.Contains(assignment.Policy!.Name, new[] { "Payments", "Tag" });
    }

    [Fact]
    public async Task SavingAgain_ReplacesEverySetting_AndReassigningMovesTheTarget()
    {
        var changed = Policy.Default with
        {
            Name = "Tag", MinimumTechnicalOwners = 2, ApprovalChannelId = "19:approvals@thread.tacv2", AutomaticRotation = new AutomaticRotation(14, 5),
        };
        await using (var db = _store.NewContext())
        {
            var policies = new PolicyStore(db);
            await policies.SaveAsync(changed);
            await policies.AssignAsync("Tag", AssignmentTarget.Tag, "finance");
            await policies.AssignAsync("App", AssignmentTarget.Tag, "finance");
            await policies.SaveAsync(changed with { ApprovalChannelId = null, AutomaticRotation = null });
        }

        await using var check = _store.NewContext();
        var saved = (await new PolicyStore(check).ListAsync()).Single(p => p.Name == "Tag");
        Assert.Equal(changed with { ApprovalChannelId = null, AutomaticRotation = null, ExpiryStagesDays = saved.ExpiryStagesDays }, saved);
        Assert.Equal(changed.ExpiryStagesDays, saved.ExpiryStagesDays);
        Assert.Equal("App", (await check.PolicyAssignments.Include(a => a.Policy).SingleAsync(a => a.Value == "finance")).Policy!.Name);
    }

    [Fact]
    public async Task AssigningAnUnknownPolicy_SaysWhich()
    {
        await using var db = _store.NewContext();

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => new PolicyStore(db).AssignAsync("Nope", AssignmentTarget.Tag, "x"));

        Assert.Contains("Nope", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Payroll API", "payroll*", true)]
    [InlineData("Payroll API", "*API", true)]
    [InlineData("Payroll API", "Payroll", false)]
    [InlineData("Payroll (prod)", "Payroll (prod)", true)]
    [InlineData("Payroll.API", "Payroll?API", false)]
    public void NamePatterns_UseStarWildcardsOnly_AndMatchTheWholeName(string name, string pattern, bool matches) =>
        Assert.Equal(matches, PolicyStore.MatchesPattern(name, pattern));

    private AppBuilder App() => new AppBuilder(_store.Time.GetUtcNow()).WithIds("obj-1", "app-1").Named("Payroll API");

    private async Task AssignAsync(string policy, AssignmentTarget target, string value)
    {
        await using var db = _store.NewContext();
        await new PolicyStore(db).AssignAsync(policy, target, value);
    }

    private async Task<Policy> PolicyForAsync(App app)
    {
        await using var db = _store.NewContext();
        return await new PolicyStore(db).GetPolicyForAsync(app);
    }

    private async Task<string> PolicyNameForAsync(App app) => (await PolicyForAsync(app)).Name;
}

/// <summary><see cref="PolicyStoreTests{TStore}"/> on SQLite.</summary>
public sealed class SqlitePolicyStoreTests : PolicyStoreTests<SqliteStore>;

/// <summary><see cref="PolicyStoreTests{TStore}"/> on PostgreSQL.</summary>
public sealed class PostgresPolicyStoreTests : PolicyStoreTests<PostgresStore>;
