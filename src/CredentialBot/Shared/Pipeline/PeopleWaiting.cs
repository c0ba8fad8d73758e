namespace CredentialBot.Shared.Pipeline;

/// <summary>
/// How many activities Teams posted this process is answering at this moment: each one is a person (or Teams on a
/// person's behalf) waiting for the bot. Bulk work asks <see cref="Any"/> to step aside for them (the scan rests
/// between its batches, <see cref="Scanning.ScanRest"/>). Counted around every request to the messaging endpoint
/// (<see cref="PeopleWaitingMiddleware"/>).
/// </summary>
public sealed class PeopleWaiting
{
    private int _count;

    /// <summary>Whether anyone is waiting for an answer now.</summary>
    public bool Any => Volatile.Read(ref _count) > 0;

    /// <summary>Counts one person waiting until the returned scope is disposed (once; a second dispose changes nothing).</summary>
    public IDisposable Begin()
    {
        Interlocked.Increment(ref _count);
        return new Answered(this);
    }

    private sealed class Answered(PeopleWaiting waiting) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref waiting._count);
            }
        }
    }
}
