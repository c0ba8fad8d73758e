namespace CredentialBot.Directory;

/// <summary>
/// The scan's share of Graph's resource-unit budget. Graph meters identity requests "based on a token bucket
/// algorithm, which works by adding individual costs of requests" against a per app-and-tenant quota of 3,500, 5,000 or
/// 8,000 units per 10 seconds by tenant size (learn.microsoft.com/graph/throttling-limits, identity and access). A scan
/// spends from this smaller bucket before each request, so it can never take the whole quota: what it leaves is there
/// for requests made while a person waits, which do not spend from it.
/// </summary>
internal sealed class ScanResourceBudget : IDisposable
{
    private readonly double _perSecond;
    private readonly double _capacity;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private double _units;
    private DateTimeOffset _filledAt;
    private long _spent;

    /// <param name="perSecond">Units the scan may spend per second on average; 0 spends freely.</param>
    /// <param name="time">The clock the bucket refills by.</param>
    public ScanResourceBudget(double perSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(perSecond);
        _perSecond = perSecond;
        // Graph's bucket holds one 10-second window; so does the scan's share of it.
        _capacity = perSecond * 10;
        _time = time;
        _units = _capacity;
        _filledAt = time.GetUtcNow();
    }

    /// <summary>Units spent so far (what Graph's x-ms-resource-unit headers would add up to).</summary>
    public long Spent => Interlocked.Read(ref _spent);

    /// <summary>Waits until <paramref name="units"/> fit in the scan's share, then spends them. Callers take turns.</summary>
    public async ValueTask SpendAsync(int units, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(units);
        Interlocked.Add(ref _spent, units);
        if (_perSecond <= 0)
        {
            return;
        }

        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var now = _time.GetUtcNow();
                _units = Math.Min(_capacity, _units + ((now - _filledAt).TotalSeconds * _perSecond));
                _filledAt = now;
                // A request dearer than the whole share still goes once the share is full, and leaves it in debt.
                if (_units >= units || _units >= _capacity)
                {
                    _units -= units;
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds((Math.Min(units, _capacity) - _units) / _perSecond), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();

    /// <summary>
    /// What a GET costs under Graph's published rules: the path's base cost (GET <c>applications</c> 2, and 1 for any
    /// identity path not listed, <c>servicePrincipals</c> included), "Using $select decreases cost by 1", "Using $expand
    /// increases cost by 1", "Using $top with a value of less than 20 decreases cost by 1", and "A request cost can never
    /// be lower than 1".
    /// </summary>
    public static int CostOf(int baseCost, bool select, bool expand, bool topUnder20 = false) =>
        Math.Max(1, baseCost - (select ? 1 : 0) + (expand ? 1 : 0) - (topUnder20 ? 1 : 0));
}
