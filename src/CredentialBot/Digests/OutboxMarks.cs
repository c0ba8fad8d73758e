using System.Text.Json;
using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;

namespace CredentialBot.Digests;

/// <summary>
/// Records one outcome for every notice of a digest (they were sent, or not, together), in as few statements as the
/// outcome allows: after a first scan thousands of people cannot be reached, and one statement per notice held SQLite's
/// write lock once per notice while people waited for their answers.
/// </summary>
public static class OutboxMarks
{
    /// <summary>The notices the outbox rows carry (a row whose payload is not one is skipped).</summary>
    public static IReadOnlyList<Notice> Notices(this IEnumerable<OutboxMessageRecord> messages) =>
        [.. messages.Select(m => JsonSerializer.Deserialize(m.Payload, DigestJson.Default.Notice)).OfType<Notice>()];

    public static async Task MarkAllSentAsync(this Outbox outbox, IReadOnlyList<OutboxMessageRecord> messages, string? conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(messages);
        await outbox.MarkSentAsync([.. messages.Select(m => m.Id)], conversationId, cancellationToken);
    }

    /// <param name="outbox">The outbox.</param>
    /// <param name="messages">The digest's notices.</param>
    /// <param name="status">What they become.</param>
    /// <param name="error">Why.</param>
    /// <param name="nextAttempt">When each is tried again; null for never (until something revives it).</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public static async Task MarkAllFailedAsync(this Outbox outbox, IReadOnlyList<OutboxMessageRecord> messages, OutboxStatus status, string error, Func<OutboxMessageRecord, DateTimeOffset?> nextAttempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(nextAttempt);
        await outbox.MarkFailedAsync([.. messages.Select(m => (m.Id, nextAttempt(m)))], status, error, cancellationToken);
    }
}
