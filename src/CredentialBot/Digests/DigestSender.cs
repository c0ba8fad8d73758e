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
        var notices = messages.Notices();
        if (recipient == NotificationPlanner.NoOneRecipient)
        {
            if (!await StillMineAsync(messages, cancellationToken))
            {
                return false;
            }

            trace.Outcome = HostTelemetry.SendOutcomes.Escalated;
            return await escalations.EscalateAsync(messages, notices, unreachable: null, cancellationToken);
        }

        var conversation = await conversations.FindOrCreateAsync(recipient, cancellationToken);
        if (conversation is null)
        {
            // RecipientUnreachable: no conversation, and none could be created (in no team the bot is in, or the app
            // is not installed for them). Admins hear about each notice once; the notices wait until the person is
            // found in a roster, installs the app, or the next look on a backoff finds them.
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

        if (!await StillMineAsync(messages, cancellationToken))
        {
            return false;
        }

        var result = await sends.SendAsync(conversation, DigestCard.ForOwner(items, now, dialogButtons: cards.Value.Buttons), "Credentials that need you", cancellationToken);
        trace.Outcome = SendTrace.OutcomeOf(result.Outcome);
        switch (result.Outcome)
        {
            case SendOutcome.Sent:
                await outbox.MarkAllSentAsync(messages, conversation.ConversationId, cancellationToken);
                LogSent(logger, items.Count);
                await escalations.TellReachedAsync(recipient, messages, items, cancellationToken);
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

    /// <summary>
    /// The claim is renewed just before the send: when a batch took longer than the claim (a slow tenant, a busy machine)
    /// and another claim took the person meanwhile, that claim sends, or the person would get two cards.
    /// </summary>
    private async Task<bool> StillMineAsync(IReadOnlyList<OutboxMessageRecord> messages, CancellationToken cancellationToken)
    {
        if (await outbox.RenewClaimAsync(messages, options.Value.ClaimDuration, cancellationToken))
        {
            return true;
        }

        LogClaimLapsed(logger, messages.Count);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The claim on {Count} notices lapsed and was taken by another claim before they were sent; that claim sends them")]
    private static partial void LogClaimLapsed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent an expiry digest covering {Apps} apps")]
    private static partial void LogSent(ILogger logger, int apps);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} notices wait for a person the bot cannot reach yet")]
    private static partial void LogNotInstalled(ILogger logger, int count);
}
