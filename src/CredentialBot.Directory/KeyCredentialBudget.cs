namespace CredentialBot.Directory;

/// <summary>
/// Admits requests against a cap of <c>requests</c> per sliding <c>window</c>, interactive ones first. Background
/// requests never hold more than <c>requests - interactiveReserve</c> of the window and never start while an interactive
/// request waits, so an interactive request waits only when interactive requests alone used the whole cap in the last
/// window. Waiters of one kind start in arrival order.
/// </summary>
/// <remarks>
/// A start leaves the window two segments after Graph would forget it (a segment is a second, or a twentieth of a
/// shorter window), so a second of clock difference with Graph never lets a request through early.
/// </remarks>
internal sealed class KeyCredentialBudget : IDisposable
{
    private readonly int _requests;
    private readonly int _backgroundLimit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _starts = new();
    private readonly LinkedList<TaskCompletionSource> _interactive = new();
    private readonly LinkedList<TaskCompletionSource> _background = new();
    private readonly ITimer _wake;
    private long _admittedInteractive;
    private long _admittedBackground;

    public KeyCredentialBudget(int requests, TimeSpan window, int interactiveReserve, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requests);
        ArgumentOutOfRangeException.ThrowIfNegative(interactiveReserve);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(interactiveReserve, requests);
        _requests = requests;
        _backgroundLimit = requests - interactiveReserve;
        var segment = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, window.Ticks / 20));
        _window = window + segment + segment;
        _time = time;
        _wake = time.CreateTimer(_ => Admit(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Interactive requests admitted so far.</summary>
    public long AdmittedInteractive => Interlocked.Read(ref _admittedInteractive);

    /// <summary>Background requests admitted so far.</summary>
    public long AdmittedBackground => Interlocked.Read(ref _admittedBackground);

    /// <summary>Background requests waiting for the window.</summary>
    public int WaitingBackground
    {
        get
        {
            lock (_gate)
            {
                return _background.Count;
            }
        }
    }

    /// <summary>Completes when the request may start.</summary>
    public Task AdmitAsync(bool interactive, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        LinkedListNode<TaskCompletionSource> node;
        lock (_gate)
        {
            node = (interactive ? _interactive : _background).AddLast(waiter);
        }

        Admit();
        if (waiter.Task.IsCompleted || !cancellationToken.CanBeCanceled)
        {
            return waiter.Task;
        }

        var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                if (node.List is { } list)
                {
                    list.Remove(node);
                    waiter.TrySetCanceled(cancellationToken);
                }
            }

            // A background request that gave up may have been what held the rest back behind an interactive one.
            Admit();
        });
        _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return waiter.Task;
    }

    private void Admit()
    {
        var admitted = new List<TaskCompletionSource>();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            while (_starts.TryPeek(out var oldest) && now - oldest >= _window)
            {
                _starts.Dequeue();
            }

            while (_interactive.First is { } next && _starts.Count < _requests)
            {
                _interactive.RemoveFirst();
                _starts.Enqueue(now);
                _admittedInteractive++;
                admitted.Add(next.Value);
            }

            // Background work yields: it starts only while no interactive request waits, and only below its limit.
            while (_interactive.Count == 0 && _background.First is { } next && _starts.Count < _backgroundLimit)
            {
                _background.RemoveFirst();
                _starts.Enqueue(now);
                _admittedBackground++;
                admitted.Add(next.Value);
            }

            var waiting = _interactive.Count + _background.Count > 0;
            _wake.Change(waiting && _starts.TryPeek(out var first) ? Max(first + _window - now, TimeSpan.FromMilliseconds(1)) : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        foreach (var waiter in admitted)
        {
            waiter.TrySetResult();
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    public void Dispose() => _wake.Dispose();
}
