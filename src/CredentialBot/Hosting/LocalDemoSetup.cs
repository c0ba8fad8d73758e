using CredentialBot.Admin.Compliance;
using CredentialBot.Digests;
using CredentialBot.Domain;
using CredentialBot.Scanning;
using CredentialBot.Store.Services;

namespace CredentialBot.Hosting;

/// <summary>
/// Local mode only: before the bot answers, scan the demo tenant and seed the technical and business owners
/// that in production live only in our store, so Alex Wilber sees their apps the moment the chat opens.
/// Idempotent: restarting keeps one owner row per person, kind and App.
/// </summary>
public sealed partial class LocalDemoSetup(IServiceScopeFactory scopes, ILogger<LocalDemoSetup> logger, EmbeddedSimulator? simulator = null) : IHostedService
{
    /// <summary>
    /// The Agents Playground's team channel (General). The demo's policies send approval requests there; until the
    /// bot has seen that channel (open it once in the Playground) they go to the App's owners 1:1 instead.
    /// </summary>
    public const string PlaygroundGeneralChannel = "team-id";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var policies = services.GetRequiredService<PolicyStore>();
        await policies.EnsureDefaultsAsync(cancellationToken);
        foreach (var policy in await policies.ListAsync(cancellationToken))
        {
            if (policy.ApprovalChannelId is null)
            {
                await policies.SaveAsync(policy with { ApprovalChannelId = PlaygroundGeneralChannel }, cancellationToken);
            }
        }

        var result = await services.GetRequiredService<ScanJob>().RunOnceAsync(cancellationToken);

        if (simulator is null)
        {
            return;
        }

        var ownerships = services.GetRequiredService<OwnershipStore>();
        var seeded = 0;
        foreach (var seed in DemoStoreOwners(simulator))
        {
            await ownerships.AddOwnerAsync(seed.AppObjectId, seed.Owner, cancellationToken);
            seeded++;
        }

        // The scan planned before these owners existed; plan again so their notices wait for them too.
        await services.GetRequiredService<NotificationPlanning>().PlanAsync(cancellationToken);
        await services.GetRequiredService<ComplianceReport>().SnapshotAsync(cancellationToken);
        LogSeeded(logger, result.Applications + result.ServicePrincipals, seeded);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static IEnumerable<(string AppObjectId, Owner Owner)> DemoStoreOwners(EmbeddedSimulator simulator)
    {
        foreach (var ownership in Simulator.DemoTenant.StoreOwnerships)
        {
            var person = simulator.Tenant.FindUser(ownership.PersonObjectId);
            if (person is null)
            {
                continue;
            }

            var kind = Enum.Parse<OwnerKind>(ownership.Kind, ignoreCase: true);
            yield return (ownership.AppObjectId, new Owner(kind, person.Id, person.DisplayName, person.UserPrincipalName, person.AccountEnabled, Deleted: false, CanManageCredentials: ownership.ManageCredentials));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local mode: demo tenant scanned ({Apps} apps) and {Owners} store-kept owners seeded")]
    private static partial void LogSeeded(ILogger logger, int apps, int owners);
}
