using System.Text.Json;
using System.Threading.Channels;
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
public sealed partial class DigestDispatcher(
    Outbox outbox,
    AppCatalog catalog,
    PolicyStore policies,
    SnoozeStore snoozes,
    ConversationReferenceStore references,
    IConnectorClient connector,
    Microsoft.Extensions.Options.IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<DigestDispatcher> logger)
{
    private const int BatchSize = 200;
    private const int MaxAttempts = 6;
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(2);
    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>One pass; returns the number of digest cards sent.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var claimed = await outbox.ClaimBatchAsync(_holder, BatchSize, ClaimFor, cancellationToken).ConfigureAwait(false);
        var sent = 0;
        foreach (var group in claimed.GroupBy(m => m.RecipientObjectId, StringComparer.Ordinal))
        {
            if (await SendDigestAsync(group.Key, [.. group], cancellationToken).ConfigureAwait(false))
            {
                sent++;
            }
        }

        return sent;
    }

    private async Task<bool> SendDigestAsync(string recipient, IReadOnlyList<OutboxMessageRecord> messages, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (recipient == NotificationPlanner.NoOneRecipient)
        {
            // Nobody is accountable; the admin-channel escalation picks these up (not built yet).
            await MarkAllAsync(messages, m => outbox.MarkFailedAsync(m.Id, OutboxStatus.Unreachable, "No active owner to tell", null, cancellationToken)).ConfigureAwait(false);
            return false;
        }

        var reference = await references.FindPersonalAsync(recipient, cancellationToken).ConfigureAwait(false);
        if (reference is null)
        {
            LogNotInstalled(logger, messages.Count);
            await MarkAllAsync(messages, m => outbox.MarkFailedAsync(m.Id, OutboxStatus.Pending, "Not installed: no personal conversation yet", now + options.Value.UnreachableRetry, cancellationToken)).ConfigureAwait(false);
            return false;
        }

        var items = await CurrentItemsAsync(messages, cancellationToken).ConfigureAwait(false);
        if (items.Count == 0)
        {
            // Every credential was rotated or removed, or this person is no longer accountable: nothing left to say.
            await MarkAllAsync(messages, m => outbox.MarkSentAsync(m.Id, null, cancellationToken)).ConfigureAwait(false);
            return false;
        }

        var card = DigestCard.Build(items, now);
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
        var result = await connector.SendToConversationAsync(reference.ServiceUrl, reference.ConversationId, activity, cancellationToken).ConfigureAwait(false);
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

    private static async Task MarkAllAsync(IReadOnlyList<OutboxMessageRecord> messages, Func<OutboxMessageRecord, Task<int>> mark)
    {
        foreach (var message in messages)
        {
            await mark(message).ConfigureAwait(false);
        }
    }

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
