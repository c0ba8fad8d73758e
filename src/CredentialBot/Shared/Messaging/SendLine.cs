namespace CredentialBot.Shared.Messaging;

/// <summary>
/// One tenant's requests in this process waiting for a place in the store's line of send slots. Only
/// <c>places</c> of them at a time may hold (or try for) a slot in the store; everyone else waits here, reserving
/// nothing, so the store sees at most one attempt per place however many requests wait, and a request that gives up
/// here leaves nothing behind.
/// <para>
/// Order: first what a person waits for with no deadline (an invoke's redraw before its answer, an approval's notice),
/// oldest first; then replies to people (those with a deadline), the oldest first while the replies waiting fit in one
/// round of places, the newest first beyond that: in an overload the newest can still be answered in time, while the
/// oldest are about to miss Teams' timeout anyway, and FIFO would make every reply late. A reply still waiting at its
/// deadline is shed (false). Proactive sends come last and are never shed; they wait, oldest first, and get at least
/// one place in every <see cref="ProactiveShareEvery"/> while they wait, so people's requests cannot starve them.
/// </para>
/// </summary>
internal sealed class SendLine(int places, TimeProvider time)
{
    /// <summary>While proactive sends wait, at least one place in this many goes to them.</summary>
    internal const int ProactiveShareEvery = 5;

    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _forPeople = new();
    private readonly LinkedList<Waiter> _replies = new();
    private readonly LinkedList<Waiter> _proactive = new();
    private readonly int _places = places;
    private int _free = places;
    private int _peopleInARow;

    /// <summary>Requests waiting here (not holding a place), for tests and diagnostics.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _forPeople.Count + _replies.Count + _proactive.Count;
            }
        }
    }

    /// <summary>
    /// Waits for a place: true when one is held (give it back with <see cref="Leave"/>), false when
    /// <paramref name="deadline"/> came first (nothing is held). Cancelled: throws, and nothing is held. A request with a
    /// deadline is a reply to a person; <paramref name="forPerson"/> marks one without (a person waits, it must not shed).
    /// </summary>
    public async Task<bool> EnterAsync(bool forPerson, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var list = deadline is not null ? _replies : forPerson ? _forPeople : _proactive;
        Waiter waiter;
        lock (_gate)
        {
            // A free place goes to whoever asks, unless someone who goes before them is already waiting.
            var ahead = list == _forPeople ? 0 : list == _replies ? _forPeople.Count : _forPeople.Count + _replies.Count + _proactive.Count;
            if (_free > 0 && ahead == 0 && list.Count == 0)
            {
                _free--;
                return true;
            }

            if (deadline is { } due && due <= time.GetUtcNow())
            {
                return false;
            }

            waiter = new Waiter();
            waiter.Node = list.AddLast(waiter);
        }

        using var expiry = deadline is { } at ? new CancellationTokenSource(at - time.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero, time) : null;
        await using var expired = expiry is null ? default : expiry.Token.Register(() => Abandon(waiter, null));
        await using var cancelled = cancellationToken.Register(() => Abandon(waiter, cancellationToken));
        return await waiter.Place.Task;
    }

    /// <summary>Gives a place back: to the next request waiting, if any.</summary>
    public void Leave()
    {
        lock (_gate)
        {
            var next = Next();
            if (next is null)
            {
                _free++;
                return;
            }

            next.Node!.List!.Remove(next.Node);
            next.Place.TrySetResult(true);
        }
    }

    private Waiter? Next()
    {
        if (_forPeople.Count + _replies.Count > 0 && (_proactive.Count == 0 || _peopleInARow < ProactiveShareEvery - 1))
        {
            _peopleInARow++;
            return _forPeople.First?.Value ?? (_replies.Count > _places ? _replies.Last!.Value : _replies.First!.Value);
        }

        _peopleInARow = 0;
        return _proactive.First?.Value;
    }

    /// <summary>A waiter that gave up (cancelled) or ran out of time (shed) leaves the line, unless a place reached it first.</summary>
    private void Abandon(Waiter waiter, CancellationToken? cancelled)
    {
        lock (_gate)
        {
            if (waiter.Node?.List is null)
            {
                return;
            }

            waiter.Node.List.Remove(waiter.Node);
        }

        if (cancelled is { } token)
        {
            waiter.Place.TrySetCanceled(token);
        }
        else
        {
            waiter.Place.TrySetResult(false);
        }
    }

    private sealed class Waiter
    {
        public LinkedListNode<Waiter>? Node { get; set; }

        public TaskCompletionSource<bool> Place { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
