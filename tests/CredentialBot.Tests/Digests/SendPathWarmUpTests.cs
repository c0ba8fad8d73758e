using CredentialBot.Digests;
using CredentialBot.Hosting;
using CredentialBot.Store;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.Tests.Digests;

/// <summary>
/// The send path's warm-up at start runs the statements a digest's send takes against the live store, while other
/// instances may be mid-pass: it must leave every claim, every outcome and the tenant's budget as it found them. A
/// warm-up that renewed someone's claim, marked a notice, took a send slot or a place in the hard window would hand a
/// person to two senders, lose a notice, or let a second instance believe the window had room it has not.
/// </summary>
public sealed class SendPathWarmUpTests : IAsyncDisposable
{
    private const string Tenant = "warm-up-tests-tenant";
    private const int Limit = 50;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"cb-warmup-{Guid.NewGuid():N}");
    private ServiceProvider? _services;

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(_folder))
        {
            System.IO.Directory.Delete(_folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task TheWarmUp_WhileAnotherInstanceIsMidPass_ChangesNoClaimNoOutcomeAndNoPlaceInTheBudget(string provider)
    {
        var services = await HostAsync(provider);

        // Another instance is mid-pass: it holds a live claim on one person, another person is due, and 49 of the
        // tenant's 50 places in the window are counted.
        await using (var scope = services.CreateAsyncScope())
        {
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            await outbox.EnqueueAsync("claimed-notice", "claimed-person", "{}");
            await outbox.EnqueueAsync("due-notice", "due-person", "{}");
            Assert.Single(await outbox.ClaimRecipientsAsync("other-instance", 1, TimeSpan.FromMinutes(5)));
            await scope.ServiceProvider.GetRequiredService<SendBudget>().ReserveAsync(Tenant, Limit + 1);
            var window = scope.ServiceProvider.GetRequiredService<ConnectorRequestWindow>();
            for (var i = 0; i < Limit - 1; i++)
            {
                Assert.NotNull((await window.TryStartAsync(Tenant, Limit)).Id);
            }
        }

        var before = await SnapshotAsync(services);

        await services.GetRequiredService<SendPathWarmUp>().RunAsync(CancellationToken.None);

        Assert.Equal(before, await SnapshotAsync(services));
        await using (var scope = services.CreateAsyncScope())
        {
            // The window still has exactly the one place it had: the 50th request goes, the 51st does not.
            var window = scope.ServiceProvider.GetRequiredService<ConnectorRequestWindow>();
            Assert.NotNull((await window.TryStartAsync(Tenant, Limit)).Id);
            Assert.Null((await window.TryStartAsync(Tenant, Limit)).Id);

            // The claimed person is still the other instance's alone; only the due one can be claimed here.
            var claimed = await scope.ServiceProvider.GetRequiredService<Outbox>().ClaimRecipientsAsync("this-instance", 10, TimeSpan.FromMinutes(5));
            Assert.Equal(["due-person"], claimed.Select(m => m.RecipientObjectId));
        }
    }

    /// <summary>Everything a send could touch, as text: the outbox rows, the window's requests, the tenant's next slot.</summary>
    private static async Task<string> SnapshotAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>();
        var outbox = (await db.Outbox.AsNoTracking().ToListAsync()).OrderBy(m => m.Id)
            .Select(m => $"{m.Id} {m.DedupKey} {m.RecipientObjectId} {m.Status} {m.Attempts} {m.ClaimedBy} {m.ClaimedUntil:O} {m.NextAttemptAt:O} {m.SentAt:O} {m.ConversationId} {m.LastError}");
        var requests = (await db.ConnectorRequests.AsNoTracking().ToListAsync()).OrderBy(r => r.Id)
            .Select(r => $"{r.Id} {r.Tenant} {r.StartedAt:O} {r.EndedAt:O}");
        var slots = (await db.SendBudgets.AsNoTracking().Where(b => b.Tenant != SendPathWarmUp.Tenant).ToListAsync()).OrderBy(b => b.Tenant, StringComparer.Ordinal)
            .Select(b => $"{b.Tenant} {b.NextSlotAt:O}");
        return string.Join('\n', outbox.Concat(requests).Concat(slots));
    }

    private async Task<IServiceProvider> HostAsync(string provider)
    {
        string connectionString;
        if (provider == "Postgres")
        {
            connectionString = await (await PostgresCluster.Shared).CreateDatabaseAsync("warmup");
        }
        else
        {
            System.IO.Directory.CreateDirectory(_folder);
            connectionString = $"Data Source={Path.Combine(_folder, "store.db")}";
        }

        var builder = WebApplication.CreateBuilder([
            $"--Store:Provider={provider}",
            $"--Store:ConnectionString={connectionString}",
            $"--Bot:MicrosoftAppTenantId={Tenant}",
            "--Graph:UseSimulator=true",
            "--Graph:BaseUrl=http://127.0.0.1:9/v1.0/",
            "--Scanner:Enabled=false",
        ]);
        builder.AddCredentialBot();
        _services = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await using var scope = _services.CreateAsyncScope();
        await StoreDatabase.MigrateAsync(scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>());
        await scope.ServiceProvider.GetRequiredService<PolicyStore>().EnsureDefaultsAsync();
        return _services;
    }
}
