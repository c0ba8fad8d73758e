using System.Diagnostics;
using CredentialBot.Cli;
using CredentialBot.Digests;
using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.Store;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Connector;
using CredentialBot.TestKit.Postgres;
using CredentialBot.TestKit.Waiting;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Two real hosts dispatching from one PostgreSQL database: every person gets exactly one card, and the tenant's rate,
/// measured where the requests arrive, never exceeds Teams' 50 a second in any one-second window although each host
/// alone could send that many, even when the way to the Connector stalls and requests sent on time arrive together.
/// Then PostgreSQL is restarted underneath them: nothing planned is lost and both keep working without a restart.
/// </summary>
public sealed class SeveralHostsDispatching : IAsyncLifetime
{
    private const int TenantLimit = 50;
    private PostgresCluster _cluster = null!;
    private FakeConnectorServer _connector = null!;
    /// <summary>The audit chain's key, the same for every instance (as a deployment keeps it in Key Vault).</summary>
    private static readonly string AuditKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private SimulatorServer _simulator = null!;
    private string[] _settings = [];

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.StartAsync();
        var database = await _cluster.CreateDatabaseAsync("dispatch");
        _connector = await FakeConnectorServer.StartAsync();
        _connector.AnswerDelay = TimeSpan.FromMilliseconds(20);
        _simulator = await SimulatorServer.StartAsync(GeneratedTenant.Create(5, 5, seed: 3, TimeProvider.System));
        _settings = ["Store:Provider=Postgres", $"Store:ConnectionString={database}", $"Graph:BaseUrl={_simulator.BaseAddress}", "Graph:UseSimulator=true", $"Audit:ChainKey={AuditKey}", $"Audit:CheckpointPath={Path.Combine(Path.GetTempPath(), $"cb-checkpoints-{Guid.NewGuid():N}")}", "Notifications:DispatchInterval=00:00:01", "Notifications:ClaimDuration=00:00:30"];
    }

    public async Task DisposeAsync()
    {
        await _connector.DisposeAsync();
        await _simulator.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
        await _cluster.DisposeAsync();
    }

    /// <summary>
    /// The attack: while 400 cards fan out from hosts that send 64 at a time each, the way to the Connector stalls five
    /// times for 2 s, so everything sent meanwhile arrives at once, on top of what is sent on time after. Pacing alone
    /// (slots 1/45 s apart) let more than the limit through here; every request (cards, new conversations, roster reads,
    /// retries) counts, measured at the Connector.
    /// </summary>
    [Fact]
    public async Task TwoDispatchers_NeverPutMoreThanTheTenantsLimitInOneSecond_EvenWhenRequestsArriveTogether()
    {
        string[] settings = [.. _settings, "Notifications:MaxConcurrentSends=64"];
        await using var first = HostProcess.Start(settings);
        await using var second = HostProcess.Start(settings);
        await Task.WhenAll(first.WaitReadyAsync(TimeSpan.FromSeconds(120)), second.WaitReadyAsync(TimeSpan.FromSeconds(120)));

        await SeedAsync("before", 400);
        await Until.TrueAsync(() => SendsTo("before").Count >= 40, TimeSpan.FromSeconds(60), "the fan-out under way");
        for (var stall = 0; stall < 5 && SendsTo("before").Count < 360; stall++)
        {
            _connector.Stall(TimeSpan.FromSeconds(2));
            await Task.Delay(TimeSpan.FromSeconds(3.5));
        }

        await Until.TrueAsync(() => SendsTo("before").Count == 400, TimeSpan.FromSeconds(120), "400 cards");
        var busiest = BusiestSecond();
        Assert.True(busiest <= TenantLimit, $"{busiest} requests arrived within one second; the tenant's limit is {TenantLimit}.");
        Console.WriteLine($"Busiest second at the Connector: {busiest} requests");
        Assert.True(busiest >= TenantLimit / 2, $"Only {busiest} requests arrived in the busiest second: the attack did not press on the limit.");
    }

    [Fact]
    public async Task TwoDispatchers_SendOneCardPerPerson_AndSurviveAPostgresRestart()
    {
        await using var first = HostProcess.Start(_settings);
        await using var second = HostProcess.Start(_settings);
        await Task.WhenAll(first.WaitReadyAsync(TimeSpan.FromSeconds(120)), second.WaitReadyAsync(TimeSpan.FromSeconds(120)));

        await SeedAsync("before", 400);
        await Until.TrueAsync(() => SendsTo("before").Count == 400, TimeSpan.FromSeconds(90), "400 cards");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.All(SendsTo("before").Values, count => Assert.Equal(1, count));

        // PostgreSQL restarts under both hosts; work planned afterwards is still delivered, once, by the same processes.
        await _cluster.RestartAsync();
        await SeedAsync("after", 100);
        await Until.TrueAsync(() => SendsTo("after").Count == 100, TimeSpan.FromSeconds(120), "100 cards after the restart");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.All(SendsTo("after").Values, count => Assert.Equal(1, count));
        Assert.Equal(400, SendsTo("before").Count);
        Assert.False(first.HasExited);
        Assert.False(second.HasExited);
        await first.WaitReadyAsync();
        await second.WaitReadyAsync();
    }

    private Dictionary<string, int> SendsTo(string batch) => _connector.Calls
        .Where(c => c.Method == "POST" && c.ConversationId.StartsWith($"a:{batch}-", StringComparison.Ordinal))
        .GroupBy(c => c.ConversationId)
        .ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The most requests of any kind that arrived within any one second (from each arrival on).</summary>
    private int BusiestSecond()
    {
        var arrivals = _connector.Arrivals.Order().ToArray();
        var busiest = 0;
        for (int start = 0, end = 0; start < arrivals.Length; start++)
        {
            while (end < arrivals.Length && arrivals[end] - arrivals[start] < Stopwatch.Frequency)
            {
                end++;
            }

            busiest = Math.Max(busiest, end - start);
        }

        return busiest;
    }

    /// <summary>One App per person with a secret 5 days from expiry, and each person's 1:1 conversation with the bot.</summary>
    private async Task SeedAsync(string batch, int people)
    {
        var exit = await CliHost.RunAsync([.. _settings.Select(s => "--" + s)], TextWriter.Null, async services =>
        {
            var now = TimeProvider.System.GetUtcNow();
            var db = services.GetRequiredService<CredentialBotDbContext>();
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                await services.GetRequiredService<AppCatalog>().UpsertSnapshotAsync(
                    [.. Enumerable.Range(0, people).Select(i => new App($"{batch}-app-{i}", $"{batch}-appid-{i}", $"{batch} App {i}", AppKind.Application,
                        [new Credential($"key-{i}", CredentialKind.Secret, "prod", now.AddDays(-360), now.AddDays(5.5))],
                        [new Owner(OwnerKind.Entra, $"{batch}-person-{i}", $"Person {i}", null)]))],
                    now);
                await transaction.CommitAsync();
            }

            var references = services.GetRequiredService<ConversationReferenceStore>();
            for (var i = 0; i < people; i++)
            {
                await references.UpsertAsync(new ConversationReferenceRecord
                {
                    ConversationId = $"a:{batch}-person-{i}",
                    ConversationType = "personal",
                    UserObjectId = $"{batch}-person-{i}",
                    UserId = $"29:{batch}-person-{i}",
                    TenantId = BotHost.TenantId,
                    ServiceUrl = _connector.ServiceUrl.ToString(),
                    ChannelId = "msteams",
                    UpdatedAt = now,
                });
            }

            return await services.GetRequiredService<NotificationPlanning>().PlanAsync(CancellationToken.None) >= people ? 0 : 1;
        });
        Assert.Equal(0, exit);
    }
}
