namespace CredentialBot.Shared.Jobs;

/// <summary>One round of clean-up: every feature's chore, in the order they were registered.</summary>
public sealed class JanitorRound(IEnumerable<IJanitorChore> chores, TimeProvider time) : IPeriodicJob
{
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var chore in chores)
        {
            await chore.RunAsync(now, cancellationToken);
        }
    }
}
