using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Store.Services;

/// <summary>
/// Holds leases for work that one instance does at a time (the scan): <see cref="TryHoldAsync"/> takes a lease and
/// renews it every <see cref="RenewEvery"/> until the work is done, so a lease lasts only
/// <see cref="Duration"/> beyond its holder's last sign of life. An instance that dies mid-scan is replaced once its
/// lease expires and another instance next polls (<see cref="PollEvery"/>): within 90 s.
/// </summary>
public sealed partial class LeaseKeeper(IServiceScopeFactory scopes, TimeProvider time, ILogger<LeaseKeeper> logger)
{
    /// <summary>How long a lease outlives its last renewal.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);

    /// <summary>A third of <see cref="Duration"/>: two renewals can fail (a database restart) before the lease is at risk.</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How often instances that do not hold a lease should try for it: a dead holder is replaced within
    /// <see cref="Duration"/> + <see cref="PollEvery"/> = 90 s (the requirement is 2 minutes).
    /// </summary>
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(30);

    internal TimeProvider Time => time;

    internal ILogger Logger => logger;

    /// <summary>
    /// Takes the lease if it is free (or expired, or already this holder's) and keeps it renewed; null when another
    /// holder has it. Dispose the result to release the lease; use <see cref="HeldLease.CompleteAsync"/> when the work
    /// finished; stop the work when <see cref="HeldLease.Lost"/> is cancelled.
    /// </summary>
    public async Task<HeldLease?> TryHoldAsync(string name, string holder, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (!await WithStoreAsync(leases => leases.TryAcquireAsync(name, holder, Duration, cancellationToken)).ConfigureAwait(false))
        {
            LogHeldElsewhere(logger, name);
            return null;
        }

        return new HeldLease(this, name, holder, now + Duration);
    }

    internal async Task<T> WithStoreAsync<T>(Func<LeaseStore, Task<T>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<LeaseStore>()).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Lease {Lease} is held by another instance")]
    private static partial void LogHeldElsewhere(ILogger logger, string lease);
}
