using System.Text.Json;
using CredentialBot.BotFramework.Connector;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Messaging;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using CredentialBot.Telemetry;
using Microsoft.Extensions.Options;

namespace CredentialBot.Digests;

/// <summary>
/// Sends one person's digest to their 1:1 chat (creating it from a team roster when needed) and records the outcome
/// of each of its notices. Notices for nobody, or for someone who cannot be reached, go to <see cref="Escalations"/>;
/// a conversation the Connector says is gone is forgotten; throttling and transient failures are retried later,
/// honouring Retry-After.
/// </summary>
public sealed partial class DigestSender(
    Outbox outbox,
    DigestView view,
    ConversationReferenceStore references,
    PersonalConversations conversations,
    ThrottledSends sends,
    Escalations escalations,
    IOptions<NotificationOptions> options,
    IOptions<CardOptions> cards,
    TimeProvider time,
    ILogger<DigestSender> logger)
{
    /// <summary>True when a digest was sent.</summary>
    public async Task<bool> SendAsync(string recipient, IReadOnlyList<OutboxMessageRecord> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var trace = SendTrace.Start(messages);
        var now = time.GetUtcNow();
        IReadOnlyList<Notice> notices = [.. messages.Select(m => JsonSerializer.Deserialize(m.Payload, DigestJson.Default.Notice)).OfType<Notice>()];
        if (recipient == NotificationPlanner.NoOneRecipient)
        {
            trace.Outcome = HostTelemetry.SendOutcomes.Escalated;
            return await escalations.EscalateAsync(messages, notices, unreachable: null, cancellationToken);
        }

        var conversation = await conversations.FindOrCreateAsync(recipient, cancellationToken);
        if (conversation is null)
        {
            // RecipientUnreachable: the app is not installed for them (no conversation, and none could be created).
            // Admins hear about it once; the person's notices wait, and installing delivers them.
            LogNotInstalled(logger, messages.Count);
            trace.Outcome = HostTelemetry.SendOutcomes.NotInstalled;
            await escalations.EscalateAsync(messages, notices, unreachable: recipient, cancellationToken);
            return false;
        }

        var items = await view.StillDueAsync(notices, cancellationToken);
        if (items.Count == 0)
        {
            // Every credential was rotated or removed, or this person is no longer accountable: nothing left to say.
            await outbox.MarkAllSentAsync(messages, null, cancellationToken);
            trace.Outcome = HostTelemetry.SendOutcomes.NothingDue;
            return false;
        }

        var result = await sends.SendAsync(conversation, DigestCard.ForOwner(items, now, dialogButtons: cards.Value.Buttons), "Credentials that need you", cancellationToken);
        trace.Outcome = SendTrace.OutcomeOf(result.Outcome);
        switch (result.Outcome)
        {
            case SendOutcome.Sent:
                await outbox.MarkAllSentAsync(messages, conversation.ConversationId, cancellationToken);
                LogSent(logger, items.Count);
                return true;
            case SendOutcome.RecipientGone:
                await references.RemoveAsync(conversation.ConversationId, cancellationToken);
                await outbox.MarkAllFailedAsync(messages, OutboxStatus.Pending, $"Conversation gone ({result.ErrorCode})", _ => now + options.Value.UnreachableRetry, cancellationToken);
                return false;
            default:
                await outbox.MarkAllFailedAsync(messages, OutboxStatus.Failed, $"{result.Outcome} {result.StatusCode} {result.ErrorCode}", m => DeliveryBackoff.NextAttempt(m.Attempts, now, result.RetryAfter), cancellationToken);
                return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent an expiry digest covering {Apps} apps")]
    private static partial void LogSent(ILogger logger, int apps);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} notices wait for a person who has not installed the bot")]
    private static partial void LogNotInstalled(ILogger logger, int count);
}
