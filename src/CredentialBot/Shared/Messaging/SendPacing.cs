using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Shared.Messaging;

/// <summary>
/// Spreads the tenant's requests to the Connector evenly: each takes the next slot in the store (<see cref="SendBudget"/>),
/// spaced for <see cref="SendLimitOptions.PacedSendsPerSecond"/> whichever instance reserves it, and waits for it. A
/// fan-out then never bursts, and the hard limit (<see cref="TenantRequestBudget"/>) rarely has to hold anyone back.
/// Pacing alone is no guarantee at the receiving end: requests that leave on their slots can arrive together.
/// </summary>
public sealed class SendPacing(IOptions<SendLimitOptions> options, TimeProvider time, IServiceScopeFactory scopes)
{
    /// <summary>Slots a request may miss in a row before it goes late anyway (only a machine stalled for seconds gets there).</summary>
    private const int MaxLateSlots = 50;

    /// <summary>
    /// How far ahead a slot may be reserved. Beyond it a request waits here, reserving nothing, so requests whose
    /// callers give up (a person's client timing out in an overload) never leave more than this of dead slots ahead
    /// of everyone else.
    /// </summary>
    private static readonly TimeSpan Horizon = TimeSpan.FromSeconds(1);

    /// <summary>How long a request beyond the horizon waits before it tries again.</summary>
    private static readonly TimeSpan BeyondHorizonWait = TimeSpan.FromMilliseconds(100);

    private readonly int _sendsPerSecond = options.Value.PacedSendsPerSecond;

    /// <summary>Waits for the tenant's next slot.</summary>
    public async Task WaitForSlotAsync(string? tenant, CancellationToken cancellationToken)
    {
        // A request that wakes well after its slot (a busy machine) would bunch with the punctual ones after it; it
        // takes a new slot instead, so every request leaves within half an interval of its own slot.
        var interval = SendBudget.IntervalFor(_sendsPerSecond);
        for (var attempt = 1; ; attempt++)
        {
            DateTimeOffset? reserved;
            await using (var scope = scopes.CreateAsyncScope())
            {
                reserved = await scope.ServiceProvider.GetRequiredService<SendBudget>().TryReserveWithinAsync(tenant, _sendsPerSecond, Horizon, cancellationToken);
            }

            if (reserved is not { } slot)
            {
                attempt--; // Waiting for the horizon is not a missed slot.
                await Task.Delay(BeyondHorizonWait, time, cancellationToken);
                continue;
            }

            var wait = slot - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            if (time.GetUtcNow() - slot <= interval / 2 || attempt == MaxLateSlots)
            {
                return;
            }
        }
    }
}
