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

    private readonly int _sendsPerSecond = options.Value.PacedSendsPerSecond;

    /// <summary>Waits for the tenant's next slot.</summary>
    public async Task WaitForSlotAsync(string? tenant, CancellationToken cancellationToken)
    {
        // A request that wakes well after its slot (a busy machine) would bunch with the punctual ones after it; it
        // takes a new slot instead, so every request leaves within half an interval of its own slot.
        var interval = SendBudget.IntervalFor(_sendsPerSecond);
        for (var attempt = 1; ; attempt++)
        {
            DateTimeOffset slot;
            await using (var scope = scopes.CreateAsyncScope())
            {
                slot = await scope.ServiceProvider.GetRequiredService<SendBudget>().ReserveAsync(tenant, _sendsPerSecond, cancellationToken);
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
