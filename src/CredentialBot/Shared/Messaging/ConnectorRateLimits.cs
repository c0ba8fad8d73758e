using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace CredentialBot.Shared.Messaging;

/// <summary>
/// Teams' published limits for proactive messages, enforced before each send so a fan-out never provokes a 429
/// storm. Per tenant, sends are paced into evenly spaced slots at (limit − 1) per second: at most the limit in any
/// one-second window however Teams aligns it, at 98 % of it, with no burst. (A token bucket of capacity C at rate r
/// admits C + r per second, and .NET's auto-replenishing bucket cannot tick fast enough for C = 1.) Per conversation,
/// a token bucket and a 30-second sliding window; a digest reaches a conversation once, so they rarely bind.
/// </summary>
public sealed class ConnectorRateLimits : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<string> _perConversation;
    private readonly ConcurrentDictionary<string, Pacer> _perTenant = new(StringComparer.Ordinal);
    private readonly TimeSpan _tenantInterval;
    private readonly TimeProvider _time;

    public ConnectorRateLimits(IOptions<SendLimitOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _time = time;
        _tenantInterval = TimeSpan.FromSeconds(1.0 / Math.Max(1, o.TenantSendsPerSecond - 1));
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

        var wait = _perTenant.GetOrAdd(tenant ?? string.Empty, _ => new Pacer()).Reserve(_time.GetUtcNow(), _tenantInterval);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }

        return lease;
    }

    public ValueTask DisposeAsync() => _perConversation.DisposeAsync();

    /// <summary>Hands out send slots one interval apart; a caller waits until its slot.</summary>
    private sealed class Pacer
    {
        private readonly Lock _gate = new();
        private DateTimeOffset _next = DateTimeOffset.MinValue;

        public TimeSpan Reserve(DateTimeOffset now, TimeSpan interval)
        {
            lock (_gate)
            {
                var slot = _next > now ? _next : now;
                _next = slot + interval;
                return slot - now;
            }
        }
    }
}
