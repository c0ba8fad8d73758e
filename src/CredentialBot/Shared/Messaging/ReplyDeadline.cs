namespace CredentialBot.Shared.Messaging;

/// <summary>
/// The time by which a reply to a person's message must leave for the Connector, carried to the tenant's request budget
/// (<see cref="TenantRequestBudget"/>) with the send. Teams waits <see cref="TeamsWaits"/> for the bot to answer the
/// message's HTTP request, and the reply is sent within that request (its cancellation is the request's), so a reply
/// that cannot get a slot in time would never be seen: the budget sheds it instead of queueing it, and the slot goes to
/// someone who can still be answered. Proactive sends (digests, approvals, redraws) carry no deadline and wait.
/// </summary>
public static class ReplyDeadline
{
    /// <summary>How long Teams waits for the bot to answer a message it posted (then it stops waiting).</summary>
    public static readonly TimeSpan TeamsWaits = TimeSpan.FromSeconds(15);

    /// <summary>Left, of <see cref="TeamsWaits"/>, for the reply's own trip to the Connector and back after its slot.</summary>
    public static readonly TimeSpan SendAllowance = TimeSpan.FromSeconds(2);

    private static readonly AsyncLocal<DateTimeOffset?> Deadline = new();

    /// <summary>The deadline of the send being made on this flow, if it is a reply to a person.</summary>
    public static DateTimeOffset? Current => Deadline.Value;

    /// <summary>The latest slot for a reply to a message that arrived at <paramref name="receivedAt"/>.</summary>
    public static DateTimeOffset For(DateTimeOffset receivedAt) => receivedAt + TeamsWaits - SendAllowance;

    /// <summary>
    /// Marks the sends awaited inside the returned scope as a reply due by <paramref name="deadline"/>. Scope it to the
    /// reply's send only: work started inside it (a background task) would inherit the deadline.
    /// </summary>
    public static IDisposable Until(DateTimeOffset deadline)
    {
        var previous = Deadline.Value;
        Deadline.Value = deadline;
        return new Restore(previous);
    }

    private sealed class Restore(DateTimeOffset? previous) : IDisposable
    {
        public void Dispose() => Deadline.Value = previous;
    }
}
