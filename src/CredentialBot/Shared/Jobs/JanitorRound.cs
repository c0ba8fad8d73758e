using CredentialBot.Telemetry;

namespace CredentialBot.Shared.Jobs;

/// <summary>
/// One round of clean-up: every feature's chore, in the order they were registered. Traced as a
/// <see cref="HostTelemetry.JanitorSpan"/> with a <see cref="HostTelemetry.JanitorChoreSpan"/> per chore.
/// </summary>
public sealed class JanitorRound(IEnumerable<IJanitorChore> chores, TimeProvider time) : IPeriodicJob
{
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
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
                    await chore.RunAsync(now, cancellationToken);
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
