using CredentialBot.Store.Services;

namespace CredentialBot.Shared.Jobs;

/// <summary>
/// One round of clean-up: every feature's chore, in the order they were registered, on one instance at a time. Each
/// chore claims its items in the store, but the janitor also holds the <see cref="LeaseName"/> lease so that several
/// instances do not all call Graph for the same due items, each losing the claim race on most of them; an instance
/// that finds the lease held skips the round, and takes over within <see cref="LeaseKeeper.Duration"/> of a holder's death.
/// </summary>
public sealed class JanitorRound(IEnumerable<IJanitorChore> chores, LeaseKeeper leases, TimeProvider time) : IPeriodicJob
{
    /// <summary>The janitor's lease in the store.</summary>
    public const string LeaseName = "janitor";

    /// <summary>This process as the janitor lease's holder.</summary>
    private static readonly string Holder = $"janitor on {Environment.MachineName}, process {Environment.ProcessId}, run {Guid.NewGuid().ToString("N")[..8]}";

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var lease = await leases.TryHoldAsync(LeaseName, Holder, cancellationToken);
        if (lease is null)
        {
            return;
        }

        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        var now = time.GetUtcNow();
        foreach (var chore in chores)
        {
            await chore.RunAsync(now, work.Token);
        }
    }
}
