namespace Kontakt.Core.Ingest;

/// <summary>
/// Counts records accepted but not yet committed against a fixed capacity. A request
/// reserves room for all its records at once, so a batch is queued whole or not at all,
/// and waiters are served first come, first served so a large batch is not starved.
/// </summary>
internal sealed class RecordBudget(int capacity)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private int _available = capacity;

    public int Capacity { get; } = capacity;

    public int InUse
    {
        get
        {
            lock (_gate)
            {
                return Capacity - _available;
            }
        }
    }

    public async ValueTask<bool> TryReserveAsync(int count, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (count > Capacity)
        {
            return false;
        }

        Waiter waiter;
        LinkedListNode<Waiter> node;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _available >= count)
            {
                _available -= count;
                return true;
            }
            if (wait <= TimeSpan.Zero)
            {
                return false;
            }
            waiter = new Waiter(count);
            node = _waiters.AddLast(waiter);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        await using (timeout.Token.UnsafeRegister(static state => ((Waiter)state!).Granted.TrySetResult(false), waiter))
        {
            var granted = await waiter.Granted.Task;
            if (granted)
            {
                return true;
            }
        }

        lock (_gate)
        {
            if (waiter.Reserved)
            {
                // Granted in the same instant the wait ran out: keep the reservation.
                return true;
            }
            _waiters.Remove(node);
            GrantWaiters();
        }
        cancellationToken.ThrowIfCancellationRequested();
        return false;
    }

    public void Release(int count)
    {
        lock (_gate)
        {
            _available += count;
            GrantWaiters();
        }
    }

    private void GrantWaiters()
    {
        while (_waiters.First is { } first && first.Value.Count <= _available)
        {
            _available -= first.Value.Count;
            first.Value.Reserved = true;
            _waiters.RemoveFirst();
            first.Value.Granted.TrySetResult(true);
        }
    }

    private sealed class Waiter(int count)
    {
        public int Count { get; } = count;
        public bool Reserved { get; set; }
        public TaskCompletionSource<bool> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
