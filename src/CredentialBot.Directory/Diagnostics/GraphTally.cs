namespace CredentialBot.Directory.Diagnostics;

/// <summary>
/// Counts the Graph work done on behalf of one piece of work (a scan): requests, pages read and 429s. Started with
/// <see cref="Start"/>, it counts what that flow and the tasks it starts send until disposed, and nothing that other
/// work (a person's request) sends meanwhile.
/// </summary>
public sealed class GraphTally : IDisposable
{
    private static readonly AsyncLocal<GraphTally?> Ambient = new();
    private readonly GraphTally? _outer;
    private long _requests;
    private long _pages;
    private long _throttled;

    private GraphTally(GraphTally? outer) => _outer = outer;

    /// <summary>HTTP requests sent (a <c>$batch</c> is one), each retry counted.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Pages of a listing or of a delta round read.</summary>
    public long Pages => Interlocked.Read(ref _pages);

    /// <summary>Requests Graph answered with 429, on the wire or inside a <c>$batch</c>.</summary>
    public long Throttled => Interlocked.Read(ref _throttled);

    internal static GraphTally? Current => Ambient.Value;

    /// <summary>Counts from here on, in this flow and the tasks it starts.</summary>
    public static GraphTally Start()
    {
        var tally = new GraphTally(Ambient.Value);
        Ambient.Value = tally;
        return tally;
    }

    internal void Request(bool throttled)
    {
        Interlocked.Increment(ref _requests);
        if (throttled)
        {
            Interlocked.Increment(ref _throttled);
        }
    }

    internal void ThrottledInBatch() => Interlocked.Increment(ref _throttled);

    internal void Page() => Interlocked.Increment(ref _pages);

    public void Dispose()
    {
        if (Ambient.Value == this)
        {
            Ambient.Value = _outer;
        }
    }
}
