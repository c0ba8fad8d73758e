using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Schema;
using CredentialBot.Cards;
using CredentialBot.Domain;

namespace CredentialBot.Notifications;

/// <summary>Settings of section "Notifications".</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>How often the outbox is checked when nothing wakes the dispatcher earlier.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>When a person cannot be reached yet (bot not installed), when to look again. Installing wakes them at once.</summary>
    public TimeSpan UnreachableRetry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Runs the background dispatcher; off only where something else drives it (tests, a CLI).</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>Proactive sends per second per tenant (Teams: 50 per second per bot per tenant).</summary>
    public int TenantSendsPerSecond { get; set; } = 50;

    /// <summary>Sends per second to one conversation (Teams: 7 per second).</summary>
    public int ConversationSendsPerSecond { get; set; } = 7;

    /// <summary>Sends per 30 seconds to one conversation (Teams: 60 per 30 seconds).</summary>
    public int ConversationSendsPer30Seconds { get; set; } = 60;

    /// <summary>
    /// How long a claimed notice belongs to the instance sending it. A notice still unsent when its claim lapses (its
    /// sender died) is claimed and sent again; see docs/delivery.md.
    /// </summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Digests in flight at once; the rate limits, not this, set the pace.</summary>
    public int MaxConcurrentSends { get; set; } = 16;

    /// <summary>
    /// The channel conversation (its <c>19:…</c> id, where the bot is installed) that hears about credentials with no
    /// active owner. Optional.
    /// </summary>
    public string? AdminChannelConversationId { get; set; }

    /// <summary>An ITSM webhook that receives the same escalations as signed JSON. Optional.</summary>
    public string? EscalationWebhookUrl { get; set; }

    /// <summary>The HMAC key for <see cref="EscalationWebhookUrl"/>'s signature; keep it in a secret store.</summary>
    public string? EscalationWebhookSecret { get; set; }
}

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

    public ConnectorRateLimits(Microsoft.Extensions.Options.IOptions<NotificationOptions> options, TimeProvider time)
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
        var lease = await _perConversation.AcquireAsync(conversation, 1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new InvalidOperationException("The send rate limiter refused a permit although its queue is unbounded.");
        }

        var wait = _perTenant.GetOrAdd(tenant ?? string.Empty, _ => new Pacer()).Reserve(_time.GetUtcNow(), _tenantInterval);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
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

/// <summary>Lets a scan or an install wake the dispatcher instead of waiting for its next tick.</summary>
public sealed class DispatchSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _channel.Writer.TryWrite(true);

    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            await _channel.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The interval passed without a wake-up: check the outbox anyway.
        }
    }
}

/// <summary>
/// Sends what the outbox holds: claims due notices, groups them per person into one digest card, and sends it to
/// the person's 1:1 chat through the stored conversation reference. A person who has not installed the bot stays
/// pending (installing wakes their notices); a conversation the Connector says is gone is forgotten. Throttling and
/// transient failures are retried later, honouring Retry-After.
/// </summary>
public sealed class DigestDispatcher(Outbox outbox, IServiceScopeFactory scopes, Microsoft.Extensions.Options.IOptions<NotificationOptions> options)
{
    private const int BatchSize = 500;
    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// One pass over what is due; returns the number of digest cards sent. People are served concurrently, each in
    /// its own scope; <see cref="ConnectorRateLimits"/> sets the pace.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        while (true)
        {
            var claimed = await outbox.ClaimRecipientsAsync(_holder, BatchSize, options.Value.ClaimDuration, cancellationToken).ConfigureAwait(false);
            if (claimed.Count == 0)
            {
                return sent;
            }

            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.MaxConcurrentSends), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(claimed.GroupBy(m => m.RecipientObjectId, StringComparer.Ordinal), parallel, async (group, ct) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<DigestSender>().SendAsync(group.Key, [.. group], ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref sent);
                }
            }).ConfigureAwait(false);
        }
    }
}

/// <summary>Sends one person's digest and records the outcome of each of its notices.</summary>
public sealed partial class DigestSender(
    Outbox outbox,
    AppCatalog catalog,
    PolicyStore policies,
    SnoozeStore snoozes,
    ConversationReferenceStore references,
    PersonalConversations conversations,
    IConnectorClient connector,
    ConnectorRateLimits limits,
    EscalationWebhook webhook,
    Microsoft.Extensions.Options.IOptions<NotificationOptions> options,
    Microsoft.Extensions.Options.IOptions<CardOptions> cards,
    TimeProvider time,
    ILogger<DigestSender> logger)
{
    private const int MaxAttempts = 6;

    /// <summary>True when a digest was sent.</summary>
    public async Task<bool> SendAsync(string recipient, IReadOnlyList<OutboxMessageRecord> messages, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (recipient == NotificationPlanner.NoOneRecipient)
        {
            return await EscalateAsync(messages, now, cancellationToken).ConfigureAwait(false);
        }

        var reference = await conversations.FindOrCreateAsync(recipient, cancellationToken).ConfigureAwait(false);
        if (reference is null)
        {
            // RecipientUnreachable: the app is not installed for them (no conversation, and none could be created).
            // Admins hear about it once; the person's notices wait, and installing delivers them.
            LogNotInstalled(logger, messages.Count);
            await EscalateAsync(messages, now, cancellationToken, unreachable: recipient).ConfigureAwait(false);
            return false;
        }

        var items = await CurrentItemsAsync(messages, cancellationToken).ConfigureAwait(false);
        if (items.Count == 0)
        {
            // Every credential was rotated or removed, or this person is no longer accountable: nothing left to say.
            await MarkAllAsync(messages, m => outbox.MarkSentAsync(m.Id, null, cancellationToken)).ConfigureAwait(false);
            return false;
        }

        var card = DigestCard.Build(items, now, policyNames: await PolicyNamesAsync(items, cancellationToken).ConfigureAwait(false), dialogButtons: cards.Value.Buttons);
        // Addressed the way a reply would be, from the stored reference: the Playground (and SDK peers) expect it.
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            ChannelId = reference.ChannelId,
            ServiceUrl = reference.ServiceUrl,
            From = reference.BotId is null ? null : new ChannelAccount { Id = reference.BotId },
            Recipient = new ChannelAccount { Id = reference.UserId, AadObjectId = reference.UserObjectId },
            Conversation = new ConversationAccount { Id = reference.ConversationId, ConversationType = reference.ConversationType, TenantId = reference.TenantId },
            Summary = "Credentials that need you",
            Attachments = [Attachment.ForCard(card)],
        };
        SendResult result;
        using (await limits.AcquireAsync(reference.TenantId, reference.ConversationId, cancellationToken).ConfigureAwait(false))
        {
            result = await connector.SendToConversationAsync(reference.ServiceUrl, reference.ConversationId, activity, cancellationToken).ConfigureAwait(false);
        }

        switch (result.Outcome)
        {
            case SendOutcome.Sent:
                await MarkAllAsync(messages, m => outbox.MarkSentAsync(m.Id, reference.ConversationId, cancellationToken)).ConfigureAwait(false);
                LogSent(logger, items.Count);
                return true;
            case SendOutcome.RecipientGone:
                await references.RemoveAsync(reference.ConversationId, cancellationToken).ConfigureAwait(false);
                await MarkAllAsync(messages, m => outbox.MarkFailedAsync(m.Id, OutboxStatus.Pending, $"Conversation gone ({result.ErrorCode})", now + options.Value.UnreachableRetry, cancellationToken)).ConfigureAwait(false);
                return false;
            default:
                await MarkAllAsync(messages, m => outbox.MarkFailedAsync(
                    m.Id,
                    OutboxStatus.Failed,
                    $"{result.Outcome} {result.StatusCode} {result.ErrorCode}",
                    m.Attempts >= MaxAttempts ? null : now + (result.RetryAfter ?? TimeSpan.FromMinutes(Math.Pow(2, m.Attempts))),
                    cancellationToken)).ConfigureAwait(false);
                return false;
        }
    }

    /// <summary>
    /// Credentials nobody can act on go to the admin channel and the escalation webhook, whichever are configured;
    /// delivered when either took them, retried when both failed, and unreachable when neither is configured.
    /// </summary>
    /// <param name="messages">The outbox rows to escalate.</param>
    /// <param name="now">The clock.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <param name="unreachable">
    /// When set, the person these notices were for cannot be reached: admins are told once, and the rows become
    /// <see cref="OutboxStatus.Unreachable"/>, waiting for the person to install the app (which revives them).
    /// </param>
    private async Task<bool> EscalateAsync(IReadOnlyList<OutboxMessageRecord> messages, DateTimeOffset now, CancellationToken cancellationToken, string? unreachable = null)
    {
        var channelId = options.Value.AdminChannelConversationId;

        // The ITSM webhook is for credentials nobody owns; a person who has not installed the app is an admin's
        // matter, not a ticket for each of their credentials.
        var useWebhook = webhook.IsConfigured && unreachable is null;
        if (string.IsNullOrWhiteSpace(channelId) && !useWebhook)
        {
            await MarkAllAsync(messages, m => outbox.MarkFailedAsync(m.Id, OutboxStatus.Unreachable, unreachable is null ? "No active owner, and no admin channel or escalation webhook is configured" : "RecipientUnreachable: not installed; no admin channel or escalation webhook is configured", null, cancellationToken)).ConfigureAwait(false);
            return false;
        }

        var items = await CurrentItemsAsync(messages, cancellationToken).ConfigureAwait(false);
        if (items.Count == 0)
        {
            await MarkAllAsync(messages, m => outbox.MarkSentAsync(m.Id, null, cancellationToken)).ConfigureAwait(false);
            return false;
        }

        var delivered = false;
        if (!string.IsNullOrWhiteSpace(channelId) && await references.FindAsync(channelId, cancellationToken).ConfigureAwait(false) is { } channel)
        {
            var activity = new Activity
            {
                Type = ActivityTypes.Message,
                ChannelId = channel.ChannelId,
                ServiceUrl = channel.ServiceUrl,
                Conversation = new ConversationAccount { Id = channel.ConversationId, ConversationType = channel.ConversationType, TenantId = channel.TenantId },
                Summary = unreachable is null ? "Credentials with no active owner" : "Credentials whose owner cannot be reached",
                Attachments = [Attachment.ForCard(DigestCard.Build(items, now, unowned: true, policyNames: await PolicyNamesAsync(items, cancellationToken).ConfigureAwait(false), unreachableOwner: unreachable is null ? null : NameOf(unreachable, items)))],
            };
            using (await limits.AcquireAsync(channel.TenantId, channel.ConversationId, cancellationToken).ConfigureAwait(false))
            {
                delivered |= (await connector.SendToConversationAsync(channel.ServiceUrl, channel.ConversationId, activity, cancellationToken).ConfigureAwait(false)).Succeeded;
            }
        }

        if (useWebhook)
        {
            delivered |= await webhook.PostAsync(items, cancellationToken).ConfigureAwait(false);
        }

        if (delivered && unreachable is not null)
        {
            await MarkAllAsync(messages, m => outbox.MarkFailedAsync(m.Id, OutboxStatus.Unreachable, "RecipientUnreachable: not installed; escalated to admins", null, cancellationToken)).ConfigureAwait(false);
            LogEscalated(logger, items.Count);
            return true;
        }

        if (delivered)
        {
            await MarkAllAsync(messages, m => outbox.MarkSentAsync(m.Id, channelId, cancellationToken)).ConfigureAwait(false);
            LogEscalated(logger, items.Count);
            return true;
        }

        await MarkAllAsync(messages, m => outbox.MarkFailedAsync(
            m.Id, OutboxStatus.Failed, "Escalation not delivered", m.Attempts >= MaxAttempts ? null : now + TimeSpan.FromMinutes(Math.Pow(2, m.Attempts)), cancellationToken)).ConfigureAwait(false);
        return false;
    }

    private static string NameOf(string personObjectId, List<(App App, IReadOnlyList<Notice> Notices)> items) =>
        items.SelectMany(i => i.App.Owners).FirstOrDefault(o => o.ObjectId == personObjectId)?.DisplayName ?? personObjectId;

    private async Task<List<(App App, IReadOnlyList<Notice> Notices)>> CurrentItemsAsync(IReadOnlyList<OutboxMessageRecord> messages, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var notices = messages.Select(m => JsonSerializer.Deserialize(m.Payload, NotificationJsonContext.Default.Notice)).OfType<Notice>().ToList();
        var snoozed = await NotificationPlanning.SnoozedAsync(snoozes, [.. notices.Select(n => n.AppObjectId).Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
        var items = new List<(App, IReadOnlyList<Notice>, int)>();
        foreach (var byApp in notices.GroupBy(n => n.AppObjectId, StringComparer.Ordinal))
        {
            var app = await catalog.GetAsync(byApp.Key, cancellationToken).ConfigureAwait(false);
            if (app is null)
            {
                continue;
            }

            // Things change between planning and sending: a credential rotated, an owner replaced. Only what the
            // App's current state still calls for is sent to this person.
            var policy = await policies.GetPolicyForAsync(app, cancellationToken).ConfigureAwait(false);
            var stillDue = NotificationPlanner.Plan(app, policy, PolicyEvaluator.Evaluate(app, policy, now))
                .Select(n => (n.RecipientObjectId, n.CredentialKeyId)).ToHashSet();
            var current = byApp.Where(n => stillDue.Contains((n.RecipientObjectId, n.CredentialKeyId)) && !NotificationPlanning.IsSnoozed(n, snoozed)).ToList();
            if (current.Count > 0)
            {
                items.Add((app, current, current.Min(n => n.Urgency)));
            }
        }

        return [.. items.OrderBy(i => i.Item3).ThenBy(i => i.Item1.DisplayName, StringComparer.OrdinalIgnoreCase).Select(i => (i.Item1, i.Item2))];
    }

    private async Task<Dictionary<string, string>> PolicyNamesAsync(IReadOnlyList<(App App, IReadOnlyList<Notice> Notices)> items, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (app, _) in items)
        {
            names[app.ObjectId] = (await policies.GetPolicyForAsync(app, cancellationToken).ConfigureAwait(false)).Name;
        }

        return names;
    }

    private static async Task MarkAllAsync(IReadOnlyList<OutboxMessageRecord> messages, Func<OutboxMessageRecord, Task<int>> mark)
    {
        foreach (var message in messages)
        {
            await mark(message).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalated {Apps} apps whose expiring credentials have no active owner")]
    private static partial void LogEscalated(ILogger logger, int apps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent an expiry digest covering {Apps} apps")]
    private static partial void LogSent(ILogger logger, int apps);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} notices wait for a person who has not installed the bot")]
    private static partial void LogNotInstalled(ILogger logger, int count);
}

/// <summary>Runs the dispatcher on its interval, or sooner when woken by a scan or an install.</summary>
public sealed partial class DispatcherService(IServiceScopeFactory scopes, DispatchSignal signal, Microsoft.Extensions.Options.IOptions<NotificationOptions> options, TimeProvider time, ILogger<DispatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatcherEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DigestDispatcher>().RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass is logged and retried; it must not stop the host.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(logger, ex);
            }

            await signal.WaitAsync(options.Value.DispatchInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatching notifications failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
