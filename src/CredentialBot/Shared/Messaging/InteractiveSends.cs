namespace CredentialBot.Shared.Messaging;

/// <summary>
/// Marks the Connector requests made while a person waits for the bot's answer (everything done in answer to an
/// activity Teams posted: an invoke's redraw of the card before it answers, an approval's notice, a reply): they go
/// ahead of proactive sends in the tenant's budget (<see cref="SendLine"/>). Only a reply with a
/// <see cref="ReplyDeadline"/> is ever shed; these wait, as what a person started must not be left half-done. Work an
/// activity starts in the background inherits the mark, which only orders it earlier. Every request to the messaging
/// endpoint is marked (<see cref="Pipeline.PeopleWaitingMiddleware"/>).
/// </summary>
public static class InteractiveSends
{
    private static readonly AsyncLocal<bool> PersonWaits = new();

    /// <summary>Whether a person waits for the sends being made on this flow.</summary>
    public static bool Current => PersonWaits.Value;

    /// <summary>Marks the sends awaited inside the returned scope as made while a person waits.</summary>
    public static IDisposable Begin()
    {
        var previous = PersonWaits.Value;
        PersonWaits.Value = true;
        return new Restore(previous);
    }

    private sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => PersonWaits.Value = previous;
    }
}
