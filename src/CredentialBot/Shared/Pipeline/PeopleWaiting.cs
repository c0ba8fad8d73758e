namespace CredentialBot.Shared.Pipeline;

/// <summary>
/// How many activities Teams posted this process is answering at this moment: each one is a person (or Teams on a
/// person's behalf) waiting for the bot. Bulk work steps aside for them (<see cref="RestAfterAsync"/>: the scan between
/// its batches, <see cref="Scanning.ScanRest"/>, and the janitor's larger chores). Counted around every request to the
/// messaging endpoint (<see cref="PeopleWaitingMiddleware"/>).
/// </summary>
public sealed class PeopleWaiting
{
    private int _count;

    /// <summary>Whether anyone is waiting for an answer now.</summary>
    public bool Any => Volatile.Read(ref _count) > 0;

    /// <summary>
    /// Rests <paramref name="ratio"/> times as long as a batch of bulk work took, if anyone waits for an answer now. On
    /// SQLite a batch holds the store's write lock until it commits, and on two cores it competes for the processor:
    /// resting as long as each batch took halves its share of both while people act. Kept on <paramref name="time"/>, so
    /// on a fake clock a batch takes no time and rests none.
    /// </summary>
    public Task RestAfterAsync(TimeSpan batchTook, double ratio, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (ratio <= 0 || !Any)
        {
            return Task.CompletedTask;
        }

        var rest = batchTook * ratio;
        return rest > TimeSpan.Zero ? Task.Delay(rest, time, cancellationToken) : Task.CompletedTask;
    }

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
