using System.Threading.RateLimiting;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Shared.Messaging;

/// <summary>
/// Teams' published limits for proactive messages, enforced before each send so a fan-out never provokes a 429
/// storm. Per tenant, sends are paced into evenly spaced slots at (limit − 1) per second: at most the limit in any
/// one-second window however Teams aligns it, at 98 % of it, with no burst. (A token bucket of capacity C at rate r
/// admits C + r per second, and .NET's auto-replenishing bucket cannot tick fast enough for C = 1.) The limit is the
/// tenant's, not this process's, so the slots are reserved in the store (<see cref="SendBudget"/>) and every instance
/// on one store shares them. Per conversation, a token bucket and a 30-second sliding window in this process; a
/// digest reaches a conversation once, so they rarely bind.
/// </summary>
public sealed class ConnectorRateLimits : IAsyncDisposable
{
    /// <summary>Slots a send may miss in a row before it goes late anyway (only a machine stalled for seconds gets there).</summary>
    private const int MaxLateSlots = 50;

    private readonly PartitionedRateLimiter<string> _perConversation;
    private readonly IServiceScopeFactory _scopes;
    private readonly int _tenantSendsPerSecond;
    private readonly TimeProvider _time;

    public ConnectorRateLimits(IOptions<SendLimitOptions> options, TimeProvider time, IServiceScopeFactory scopes)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _time = time;
        _scopes = scopes;
        _tenantSendsPerSecond = o.PacedSendsPerSecond;
        var bucket = PartitionedRateLimiter.Create<string, string>(conversation => RateLimitPartition.GetTokenBucketLimiter(conversation, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.ConversationSendsPerSecond,
            TokensPerPeriod = o.ConversationSendsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));
        var window = PartitionedRateLimiter.Create<string, string>(conversation => RateLimitPartition.GetSlidingWindowLimiter(conversation, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = o.ConversationSendsPer30Seconds,
            Window = TimeSpan.FromSeconds(30),
            SegmentsPerWindow = 6,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));
        _perConversation = PartitionedRateLimiter.CreateChained(bucket, window);
    }

    /// <summary>Waits until one more send to this conversation is within every limit.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(string? tenant, string conversation, CancellationToken cancellationToken)
    {
        var lease = await _perConversation.AcquireAsync(conversation, 1, cancellationToken);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new InvalidOperationException("The send rate limiter refused a permit although its queue is unbounded.");
        }

        try
        {
            // A send that wakes well after its slot (a busy machine) would bunch with the punctual ones after it and could
            // put one more than the limit in a window; it takes a new slot instead, so every send leaves within half an
            // interval of its own slot.
            var interval = SendBudget.IntervalFor(_tenantSendsPerSecond);
            for (var attempt = 1; ; attempt++)
            {
                DateTimeOffset slot;
                await using (var scope = _scopes.CreateAsyncScope())
                {
                    slot = await scope.ServiceProvider.GetRequiredService<SendBudget>().ReserveAsync(tenant, _tenantSendsPerSecond, cancellationToken);
                }

                var wait = slot - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken);
                }

                if (_time.GetUtcNow() - slot <= interval / 2 || attempt == MaxLateSlots)
                {
                    break;
                }
            }
        }
        catch
        {
            lease.Dispose();
            throw;
        }

        return lease;
    }

    public ValueTask DisposeAsync() => _perConversation.DisposeAsync();
}
