using CredentialBot.Shared.Jobs;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Digests;

/// <summary>
/// Sends what the outbox holds: claims due notices, groups them per person into one digest, and hands each person to a
/// <see cref="DigestSender"/> of their own. People are served concurrently, each in its own scope;
/// <see cref="Shared.Messaging.TenantRequestBudget"/> sets the pace. Runs on its interval, or sooner when a scan, an
/// install or a team roster wakes it (<see cref="DispatchSignal"/>); each pass first makes due again the notices of
/// unreachable people whose wait is over.
/// </summary>
public sealed class DigestDispatcher(Outbox outbox, IServiceScopeFactory scopes, IOptions<NotificationOptions> options) : IPeriodicJob
{
    private const int BatchSize = 500;
    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>One pass over what is due; returns the number of digest cards sent.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        // People who could not be reached are looked for again when their backoff ends (a team install or roster
        // change wakes them sooner, see UnreachableRecipients).
        await outbox.ReviveDueUnreachableAsync(cancellationToken);
        var sent = 0;
        while (true)
        {
            var claimed = await outbox.ClaimRecipientsAsync(_holder, BatchSize, options.Value.ClaimDuration, cancellationToken);
            if (claimed.Count == 0)
            {
                await outbox.MeasureDepthAsync(cancellationToken);
                return sent;
            }

            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.MaxConcurrentSends), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(claimed.GroupBy(m => m.RecipientObjectId, StringComparer.Ordinal), parallel, async (group, ct) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<DigestSender>().SendAsync(group.Key, [.. group], ct))
                {
                    Interlocked.Increment(ref sent);
                }
            });
        }
    }

    Task IPeriodicJob.RunOnceAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);
}
