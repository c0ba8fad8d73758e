using System.Diagnostics;
using CredentialBot.Cli;
using CredentialBot.Domain;
using CredentialBot.Digests;
using CredentialBot.TestKit.Connector;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The dispatcher is killed (SIGKILL, the whole process) in the middle of sending 200 digests, then run again:
/// nothing is lost, and the only repeats are digests Teams had accepted but the dead process never heard about —
/// at most one per send in flight (docs/delivery.md says why that window cannot be closed).
/// </summary>
public sealed class SurvivingACrash : IAsyncLifetime
{
    private const int People = 200;
    private const int MaxInFlight = 8;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cb-crash-" + Guid.NewGuid().ToString("N"));
    private FakeConnectorServer _connector = null!;

    private string Store => $"--Store:ConnectionString=Data Source={Path.Combine(_directory, "bot.db")}";

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_directory);
        _connector = await FakeConnectorServer.StartAsync();
        _connector.AnswerDelay = TimeSpan.FromMilliseconds(150);
        Assert.Equal(0, await CliHost.RunAsync([Store], TextWriter.Null, SeedAsync));
    }

    public async Task DisposeAsync()
    {
        await _connector.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task KillingTheDispatcherMidSend_LosesNothing_AndRepeatsAtMostTheSendsInFlight()
    {
        using (var first = StartDispatcher())
        {
            await Eventually.WaitAsync(() => _connector.Calls.Count >= 40 ? _connector.Calls : null, attempts: 1200);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var beforeRestart = _connector.Calls.Count;
        Assert.InRange(beforeRestart, 40, People - 1);

        // Claims of the dead process lapse (2 s here), then a new dispatcher finishes the job.
        await Task.Delay(TimeSpan.FromSeconds(3));
        using (var second = StartDispatcher())
        {
            await second.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(0, second.ExitCode);
        }

        var sends = _connector.Calls.Where(c => c.Method == "POST").GroupBy(c => c.ConversationId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(People, sends.Count);
        Assert.InRange(sends.Values.Sum() - People, 0, MaxInFlight);
    }

    private Process StartDispatcher()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                typeof(Program).Assembly.Location, "dispatch", Store,
                "--Notifications:ClaimDuration=00:00:02",
                $"--Notifications:MaxConcurrentSends={MaxInFlight}",
                "--Logging:LogLevel:Default=Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>One App per person with a secret 5 days from expiry; each person has a 1:1 conversation with the bot.</summary>
    private async Task<int> SeedAsync(IServiceProvider services)
    {
        var now = TimeProvider.System.GetUtcNow();
        var db = services.GetRequiredService<CredentialBot.Store.CredentialBotDbContext>();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await services.GetRequiredService<CredentialBot.Store.Services.AppCatalog>().UpsertSnapshotAsync(
                [.. Enumerable.Range(0, People).Select(i => new App($"crash-app-{i}", $"crash-appid-{i}", $"Crash App {i}", AppKind.Application,
                    [new Credential($"key-{i}", CredentialKind.Secret, "prod", now.AddDays(-360), now.AddDays(5.5))],
                    [new Owner(OwnerKind.Entra, $"crash-person-{i}", $"Person {i}", null)]))],
                now);
            await transaction.CommitAsync();
        }

        var references = services.GetRequiredService<CredentialBot.Store.Services.ConversationReferenceStore>();
        for (var i = 0; i < People; i++)
        {
            await references.UpsertAsync(new CredentialBot.Store.Entities.ConversationReferenceRecord
            {
                ConversationId = $"a:crash-person-{i}",
                ConversationType = "personal",
                UserObjectId = $"crash-person-{i}",
                UserId = $"29:crash-person-{i}",
                TenantId = BotHost.TenantId,
                ServiceUrl = _connector.ServiceUrl.ToString(),
                ChannelId = "msteams",
                UpdatedAt = now,
            });
        }

        return await services.GetRequiredService<NotificationPlanning>().PlanAsync(CancellationToken.None) >= People ? 0 : 1;
    }
}
