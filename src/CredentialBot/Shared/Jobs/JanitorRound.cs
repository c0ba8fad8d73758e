using CredentialBot.Store.Services;
using CredentialBot.Telemetry;

namespace CredentialBot.Shared.Jobs;

/// <summary>
/// One round of clean-up: every feature's chore, in the order they were registered, on one instance at a time. Each
/// chore claims its items in the store, but the janitor also holds the <see cref="LeaseName"/> lease so that several
/// instances do not all call Graph for the same due items, each losing the claim race on most of them; an instance
/// that finds the lease held skips the round, and takes over within <see cref="LeaseKeeper.Duration"/> of a holder's death.
/// Each chore runs in a DI scope of its own, and a chore that fails does not keep the others from running: one broken
/// chore must never stop grants from ending or old secrets from being removed, and what it leaves behind (an open
/// audited change, unsaved rows) goes with its scope instead of into the next chore's commit. The round then fails with
/// every chore's failure. Traced as a <see cref="HostTelemetry.JanitorSpan"/> with a
/// <see cref="HostTelemetry.JanitorChoreSpan"/> per chore.
/// </summary>
public sealed class JanitorRound(IServiceScopeFactory scopes, IEnumerable<JanitorChoreType> chores, LeaseKeeper leases, TimeProvider time) : IPeriodicJob
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
            List<Exception>? failures = null;
            foreach (var chore in chores)
            {
                using var span = HostTelemetry.Source.StartActivity(HostTelemetry.JanitorChoreSpan);
                span?.SetTag(HostTelemetry.ChoreAttribute, chore.Type.Name);
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await ((IJanitorChore)scope.ServiceProvider.GetRequiredService(chore.Type)).RunAsync(now, work.Token);
                    ran++;
                }
                catch (Exception ex)
                {
                    HostTelemetry.Failed(span, ex);
                    if (work.IsCancellationRequested)
                    {
                        throw;
                    }

                    (failures ??= []).Add(ex);
                }
            }

            if (failures is not null)
            {
                throw new AggregateException($"{failures.Count} of the janitor's chores failed; the others ran.", failures);
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
