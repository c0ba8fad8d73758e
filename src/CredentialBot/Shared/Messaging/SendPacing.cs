using CredentialBot.Store.Services;
using CredentialBot.Telemetry;
using Microsoft.Extensions.Options;

namespace CredentialBot.Shared.Messaging;

/// <summary>
/// Spreads the tenant's requests to the Connector evenly: each takes the next slot in the store (<see cref="SendBudget"/>),
/// <see cref="SendLimitOptions.PacedSendsPerSecond"/> slots a second whichever instance reserves it, and waits for it. A
/// fan-out then never bursts. Pacing is no guarantee at the receiving end (requests that leave on their slots can
/// arrive together, a busy machine wakes late); the hard limit (<see cref="TenantRequestBudget"/>) is, and it admits a
/// request only while fewer than the limit were counted in the last second, so the slots may be spaced for the limit
/// itself and a request that wakes late still goes.
/// </summary>
public sealed class SendPacing(IOptions<SendLimitOptions> options, TimeProvider time, IServiceScopeFactory scopes)
{
    /// <summary>
    /// <see cref="SendBudget"/> spaces slots 1/(n − 1) s apart for n, so that slots alone never put more than n in a
    /// second; the hard limit holds that now, and slots 1/<see cref="SendLimitOptions.PacedSendsPerSecond"/> s apart keep
    /// it fed (spaced for one less, the budget could never be used beyond 98 %).
    /// </summary>
    private readonly int _slotsFor = options.Value.PacedSendsPerSecond + 1;

    /// <summary>Waits for the tenant's next slot.</summary>
    public async Task WaitForSlotAsync(string? tenant, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        DateTimeOffset slot;
        await using (var scope = scopes.CreateAsyncScope())
        {
            slot = await scope.ServiceProvider.GetRequiredService<SendBudget>().ReserveAsync(tenant, _slotsFor, cancellationToken);
        }

        HostTelemetry.BudgetWait.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(HostTelemetry.BudgetStageAttribute, "store"));

        var wait = slot - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
        }

        // A request that wakes after its slot (a busy machine) goes late rather than taking a new slot: a new slot would
        // leave this one empty, and every one missed is budget lost for good. If it bunches with punctual ones, the hard
        // limit still admits no more than the limit in any second.
        if (time.GetUtcNow() - slot > SendBudget.IntervalFor(_slotsFor))
        {
            HostTelemetry.BudgetEvents.Add(1, new KeyValuePair<string, object?>(HostTelemetry.BudgetEventAttribute, "slot_late"));
        }

        HostTelemetry.BudgetWait.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(HostTelemetry.BudgetStageAttribute, "pacing"));
    }
}
