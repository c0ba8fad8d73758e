using CredentialBot.Store.Services;
using CredentialBot.Telemetry;

namespace CredentialBot.Shared.Jobs;

/// <summary>
/// One round of clean-up: every feature's chore, in the order they were registered, on one instance at a time. Each
/// chore claims its items in the store, but the janitor also holds the <see cref="LeaseName"/> lease so that several
/// instances do not all call Graph for the same due items, each losing the claim race on most of them; an instance
/// that finds the lease held skips the round, and takes over within <see cref="LeaseKeeper.Duration"/> of a holder's death.
/// Traced as a <see cref="HostTelemetry.JanitorSpan"/> with a <see cref="HostTelemetry.JanitorChoreSpan"/> per chore.
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
        using var round = HostTelemetry.Source.StartActivity(HostTelemetry.JanitorSpan);
        var started = time.GetTimestamp();
        var outcome = "failed";
        var ran = 0;
        try
        {
            var now = time.GetUtcNow();
            foreach (var chore in chores)
            {
                using var span = HostTelemetry.Source.StartActivity(HostTelemetry.JanitorChoreSpan);
                span?.SetTag(HostTelemetry.ChoreAttribute, chore.GetType().Name);
                try
                {
                    await chore.RunAsync(now, work.Token);
                }
                catch (Exception ex)
                {
                    HostTelemetry.Failed(span, ex);
                    throw;
                }

                ran++;
            }

            outcome = "succeeded";
        }
        catch (Exception ex)
        {
            HostTelemetry.Failed(round, ex);
            throw;
        }
        finally
        {
            round?.SetTag(HostTelemetry.OutcomeAttribute, outcome).SetTag(HostTelemetry.ChoresAttribute, ran);
            HostTelemetry.JanitorDuration.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(HostTelemetry.OutcomeAttribute, outcome));
        }
    }
}
