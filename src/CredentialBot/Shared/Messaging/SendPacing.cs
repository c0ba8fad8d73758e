using System.Collections.Concurrent;
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
/// <para>
/// Slots are reserved only within <see cref="Horizon"/> of now, by at most as many requests of this process at a time
/// as the horizon holds slots (<see cref="SendLine"/>); the others wait in the process, reserving nothing. A request
/// that gives up (a person's client timing out in an overload) then leaves at most a horizon of unused slots, instead
/// of every slot it queued far ahead pushing each later request past its own timeout (the soak at 100 requests a
/// second once served 9 replies a second instead of 45 that way), and the store sees one attempt per place, not one per
/// waiting request.
/// </para>
/// </summary>
public sealed class SendPacing(IOptions<SendLimitOptions> options, TimeProvider time, IServiceScopeFactory scopes)
{
    /// <summary>How far ahead a slot may be reserved.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <see cref="SendBudget"/> spaces slots 1/(n − 1) s apart for n, so that slots alone never put more than n in a
    /// second; the hard limit holds that now, and slots 1/<see cref="SendLimitOptions.PacedSendsPerSecond"/> s apart keep
    /// it fed (spaced for one less, the budget could never be used beyond 98 %).
    /// </summary>
    private readonly int _slotsFor = options.Value.PacedSendsPerSecond + 1;
    private readonly ConcurrentDictionary<string, SendLine> _lines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _horizonGates = new(StringComparer.Ordinal);

    /// <summary>Requests of this process that may hold a place in a tenant's store line at once: the slots the horizon holds.</summary>
    internal int Places => (int)(Horizon.Ticks / SendBudget.IntervalFor(_slotsFor).Ticks) + 1;

    /// <summary>Waits for the tenant's next slot, however long that takes, and returns it.</summary>
    public Task<DateTimeOffset> WaitForSlotAsync(string? tenant, CancellationToken cancellationToken) =>
        WaitForSlotAsync(tenant, forPerson: false, cancellationToken);

    /// <summary>
    /// Waits for the tenant's next slot, however long that takes, and returns it; <paramref name="forPerson"/>: a person
    /// waits for this request (<see cref="InteractiveSends"/>), so it goes ahead of proactive sends.
    /// </summary>
    public async Task<DateTimeOffset> WaitForSlotAsync(string? tenant, bool forPerson, CancellationToken cancellationToken) =>
        await WaitAsync(tenant, forPerson, deadline: null, cancellationToken) ?? throw new InvalidOperationException("A request with no deadline always gets a slot.");

    /// <summary>
    /// Waits for a slot no later than <paramref name="deadline"/>, ahead of proactive sends, and returns it; null, at the
    /// deadline or as soon as the slot it got lies beyond it, when there is none in time. The request must then not be sent.
    /// </summary>
    public Task<DateTimeOffset?> TryWaitForSlotAsync(string? tenant, DateTimeOffset deadline, CancellationToken cancellationToken) =>
        WaitAsync(tenant, forPerson: true, deadline, cancellationToken);

    /// <summary>Requests of this process waiting for a place in the tenant's line (not yet holding one).</summary>
    internal int Waiting(string? tenant) => _lines.TryGetValue(tenant ?? string.Empty, out var line) ? line.Waiting : 0;

    private async Task<DateTimeOffset?> WaitAsync(string? tenant, bool forPerson, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        var line = _lines.GetOrAdd(tenant ?? string.Empty, _ => new SendLine(Places, time));
        if (!await line.EnterAsync(forPerson, deadline, cancellationToken))
        {
            return null;
        }

        try
        {
            return await TakeSlotAsync(tenant, deadline, cancellationToken);
        }
        finally
        {
            line.Leave();
        }
    }

    private async Task<DateTimeOffset?> TakeSlotAsync(string? tenant, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var reserved = await TryReserveAsync(tenant, cancellationToken)
            ?? await ReserveWhenTheHorizonMovesAsync(tenant, deadline, cancellationToken);
        HostTelemetry.BudgetWait.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(HostTelemetry.BudgetStageAttribute, "store"));
        if (reserved is not { } slot || slot > deadline)
        {
            // None in time for its person (a slot beyond the deadline stays unused, a gap of one interval).
            return null;
        }

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
        return slot;
    }

    /// <summary>
    /// Other instances hold the store's line up to the horizon. One request of this process at a time asks again,
    /// every interval, until a slot is in reach; the others queue behind it here. So a process adds at most one
    /// attempt per interval to the store while the horizon is full, however many of its requests hold places. Null
    /// when <paramref name="deadline"/> comes first.
    /// </summary>
    private async Task<DateTimeOffset?> ReserveWhenTheHorizonMovesAsync(string? tenant, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        var interval = SendBudget.IntervalFor(_slotsFor);
        var gate = _horizonGates.GetOrAdd(tenant ?? string.Empty, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                if (time.GetUtcNow() + interval > deadline)
                {
                    return null;
                }

                await Task.Delay(interval, time, cancellationToken);
                if (await TryReserveAsync(tenant, cancellationToken) is { } slot)
                {
                    return slot;
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<DateTimeOffset?> TryReserveAsync(string? tenant, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SendBudget>().TryReserveWithinAsync(tenant, _slotsFor, Horizon, cancellationToken);
    }
}
