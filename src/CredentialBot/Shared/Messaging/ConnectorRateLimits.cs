using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace CredentialBot.Shared.Messaging;

/// <summary>
/// Teams' per-conversation limits for proactive messages (7 a second, 60 in 30 seconds), as a token bucket and a
/// sliding window in this process; a digest reaches a conversation once, so they rarely bind. The tenant's limit, which
/// counts every request on every instance, is kept by <see cref="TenantRequestBudget"/> in the Connector client.
/// </summary>
public sealed class ConnectorRateLimits : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<string> _perConversation;

    public ConnectorRateLimits(IOptions<SendLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
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

    /// <summary>Waits until one more send to this conversation is within its limits.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(string conversation, CancellationToken cancellationToken)
    {
        var lease = await _perConversation.AcquireAsync(conversation, 1, cancellationToken);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new InvalidOperationException("The send rate limiter refused a permit although its queue is unbounded.");
        }

        return lease;
    }

    public ValueTask DisposeAsync() => _perConversation.DisposeAsync();
}
