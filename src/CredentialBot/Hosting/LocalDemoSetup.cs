using CredentialBot.Admin.Compliance;
using CredentialBot.Digests;
using CredentialBot.Domain;
using CredentialBot.Scanning;
using CredentialBot.Store.Services;

namespace CredentialBot.Hosting;

/// <summary>
/// Local mode only: before the bot answers, scan the demo tenant and seed the technical and business owners
/// that in production live only in our store, so Alex Wilber sees their apps the moment the chat opens.
/// Idempotent: restarting keeps one owner row per person, kind and App. A failure (the tenant unreachable, a scan
/// refused) never stops the host: it is logged, readiness says so (<see cref="ScanHealth"/>), and the setup is tried
/// again after a growing pause until it succeeds.
/// </summary>
public sealed partial class LocalDemoSetup(IServiceScopeFactory scopes, ScanCoordinator scans, ScanHealth health, TimeProvider time, ILogger<LocalDemoSetup> logger, EmbeddedSimulator? simulator = null) : IHostedService, IDisposable
{
    /// <summary>
    /// The Agents Playground's team channel (General). The demo's policies send approval requests there; until the
    /// bot has seen that channel (open it once in the Playground) they go to the App's owners 1:1 instead.
    /// </summary>
    public const string PlaygroundGeneralChannel = "team-id";

    /// <summary>The scan's name to other scans (see <see cref="ScannerLease.HolderFor"/>).</summary>
    public const string What = "the local demo setup";

    private readonly CancellationTokenSource _stopping = new();
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private Task _retries = Task.CompletedTask;

    /// <summary>True once the demo tenant is scanned and seeded.</summary>
    public bool IsSeeded { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The usual case finishes here, so the host is ready when it starts; otherwise it keeps trying behind it.
        if (!await TrySetUpAsync(cancellationToken))
        {
            _retries = Task.Run(() => RetryAsync(_stopping.Token), CancellationToken.None);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retries.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RetryAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var wait = ScanHealth.BackoffAfter(Math.Max(1, health.Current.FailuresInARow));
            await Task.Delay(wait, time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stopping.IsCancellationRequested || await TrySetUpAsync(stopping))
            {
                return;
            }
        }
    }

    private async Task<bool> TrySetUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await SetUpAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return true;
        }
#pragma warning disable CA1031 // Any failure is logged and retried; the host keeps serving what the store holds.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSetupFailed(logger, ex);
            return false;
        }
    }

    /// <summary>Scans and seeds; false when another instance holds the scanner (not a failure: the setup waits for that scan).</summary>
    private async Task<bool> SetUpAsync(CancellationToken cancellationToken)
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

        // With several instances on one store, one of them scans; the others wait for it (RetryAsync polls) and then
        // count its scan as theirs rather than scanning again.
        var apps = 0;
        var scannedElsewhere = await services.GetRequiredService<LeaseStore>().LastCompletedAsync(ScannerLease.Name, cancellationToken) >= _startedAt;
        if (!scannedElsewhere)
        {
            var attempt = await scans.TryRunAsync(What, cancellationToken);
            if (attempt.Result is not { } result)
            {
                LogWaiting(logger, attempt.RunningElsewhere);
                return false;
            }

            apps = result.Applications + result.ServicePrincipals;
        }

        if (simulator is null)
        {
            IsSeeded = true;
            return true;
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
        IsSeeded = true;
        LogSeeded(logger, apps, seeded);
        return true;
    }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Local mode: the demo tenant is being scanned by {Holder}; seeding after it")]
    private static partial void LogWaiting(ILogger logger, string? holder);

    [LoggerMessage(Level = LogLevel.Error, Message = "Local mode: scanning and seeding the demo tenant failed; trying again shortly (the bot keeps serving)")]
    private static partial void LogSetupFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local mode: demo tenant scanned ({Apps} apps) and {Owners} store-kept owners seeded")]
    private static partial void LogSeeded(ILogger logger, int apps, int owners);
}
