using System.Threading.Channels;
using CredentialBot.Shared.Jobs;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Digests;

/// <summary>
/// Sends what the outbox holds: claims due notices, groups them per person into one digest, and hands each person to a
/// <see cref="DigestSender"/> of their own. People are served concurrently, each in its own scope;
/// <see cref="Shared.Messaging.TenantRequestBudget"/> sets the pace. Claiming runs ahead of sending: the next people
/// are claimed while the last ones of the claim before are still being sent, so the tenant's budget never waits for a
/// claim. Runs on its interval, or sooner when a scan, an install or a team roster wakes it
/// (<see cref="DispatchSignal"/>); each pass first makes due again the notices of unreachable people whose wait is over.
/// </summary>
public sealed class DigestDispatcher(Outbox outbox, IServiceScopeFactory scopes, IOptions<NotificationOptions> options) : IPeriodicJob
{
    /// <summary>Claimed people waiting for a sender, per sender: enough to keep every sender busy while the next claim runs.</summary>
    private const int WaitingPerSender = 4;

    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>One pass over what is due; returns the number of digest cards sent.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        // People who could not be reached are looked for again when their backoff ends (a team install or roster
        // change wakes them sooner, see UnreachableRecipients).
        await outbox.ReviveDueUnreachableAsync(cancellationToken);
        var senders = Math.Max(1, options.Value.MaxConcurrentSends);
        var people = Channel.CreateBounded<IGrouping<string, OutboxMessageRecord>>(new BoundedChannelOptions(senders * WaitingPerSender) { SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var claiming = ClaimAsync(people.Writer, senders, stop.Token);
        var sent = 0;
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = senders, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(people.Reader.ReadAllAsync(cancellationToken), parallel, async (person, ct) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<DigestSender>().SendAsync(person.Key, [.. person], ct))
                {
                    Interlocked.Increment(ref sent);
                }
            });
        }
        finally
        {
            // A sender that failed ends the pass; the claimer may be waiting for room that will not come.
            await stop.CancelAsync();
            await claiming.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        // The claimer's own failure (the store, say) ends the pass too, once the people it claimed were sent.
        await claiming;
        await outbox.MeasureDepthAsync(cancellationToken);
        return sent;
    }

    /// <summary>
    /// Claims people until none are due, handing each to the senders as room frees. The first claim is one person per
    /// sender, so sending starts at once; later ones fill the room the senders keep waiting. A claim never runs further
    /// ahead than that, so claims stay short: a person claimed long before a sender is free holds other instances off
    /// for nothing, and a claim that lapsed while waiting can be taken by another instance (the sender then leaves the
    /// person to it, see <see cref="Outbox.RenewClaimAsync"/>).
    /// </summary>
    private async Task ClaimAsync(ChannelWriter<IGrouping<string, OutboxMessageRecord>> people, int senders, CancellationToken cancellationToken)
    {
        try
        {
            for (var size = senders; ; size = senders * WaitingPerSender)
            {
                var claimed = await outbox.ClaimRecipientsAsync(_holder, size, options.Value.ClaimDuration, cancellationToken);
                if (claimed.Count == 0)
                {
                    break;
                }

                foreach (var person in claimed.GroupBy(m => m.RecipientObjectId, StringComparer.Ordinal))
                {
                    await people.WriteAsync(person, cancellationToken);
                }
            }

            people.Complete();
        }
        catch (Exception ex)
        {
            people.Complete(ex);
            throw;
        }
    }

    Task IPeriodicJob.RunOnceAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);
}
