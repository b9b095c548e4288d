namespace Kontakt.LoadTest.Load;

/// <summary>Hands out the run's records in order, <c>recordsPerRequest</c> at a time, to any number of workers.</summary>
public sealed class WorkQueue(int records, int recordsPerRequest)
{
    private int _next;

    public int Requests => (int)(((long)records + recordsPerRequest - 1) / recordsPerRequest);

    public bool TryTake(out WorkItem item)
    {
        var first = Interlocked.Add(ref _next, recordsPerRequest) - recordsPerRequest;
        if (first >= records || first < 0)
        {
            item = default;
            return false;
        }
        item = new WorkItem(first, Math.Min(recordsPerRequest, records - first));
        return true;
    }

    /// <summary>The <paramref name="index"/>-th request's records (open model: request k is due at k / rate).</summary>
    public WorkItem ItemAt(int index)
    {
        var first = (long)index * recordsPerRequest;
        return new WorkItem((int)first, (int)Math.Min(recordsPerRequest, records - first));
    }
}
