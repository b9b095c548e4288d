using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Kontakt.Core.Ingest;

/// <summary>Why a request was or was not queued.</summary>
public enum EnqueueOutcome
{
    /// <summary>Queued; the writers will commit it.</summary>
    Queued,

    /// <summary>The queue stayed full for the whole bounded wait: answer 503.</summary>
    Full,

    /// <summary>The service is shutting down and takes no more records.</summary>
    Closed,

    /// <summary>The request has more records than the queue can ever hold: it will never fit.</summary>
    TooLarge,
}

/// <summary>
/// The bounded queue between HTTP handlers and the background writers. Room is counted in
/// records (not requests), reserved for a whole request at once and given back only after
/// the records are committed, so memory stays bounded however large the requests are.
/// </summary>
public sealed class IngestQueue
{
    private readonly Channel<IngestRequest> _channel;
    private readonly RecordBudget _budget;
    private readonly TimeSpan _enqueueTimeout;

    /// <summary>Creates the queue from the ingest options.</summary>
    public IngestQueue(IOptions<IngestOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _budget = new RecordBudget(settings.QueueCapacity);
        _enqueueTimeout = settings.EnqueueTimeout;
        // Every request holds at least one record of budget, so this bound is never the one hit.
        _channel = Channel.CreateBounded<IngestRequest>(new BoundedChannelOptions(settings.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    /// <summary>Largest number of records the queue holds.</summary>
    public int Capacity => _budget.Capacity;

    /// <summary>The recordIds accepted here and not yet committed or dead-lettered.</summary>
    public QueuedRecords Queued { get; } = new();

    /// <summary>Records accepted and not yet committed (queued or being written).</summary>
    public int PendingRecords => _budget.InUse;

    /// <summary>Requests waiting in the channel for a writer.</summary>
    public int QueuedRequests => _channel.Reader.Count;

    /// <summary>True once <see cref="Complete"/> was called: no more records are taken.</summary>
    public bool IsClosed { get; private set; }

    internal ChannelReader<IngestRequest> Reader => _channel.Reader;

    /// <summary>Queues <paramref name="request"/>, waiting a bounded time for room.</summary>
    public async ValueTask<EnqueueOutcome> EnqueueAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IsClosed)
        {
            return EnqueueOutcome.Closed;
        }
        if (request.Records.Count > _budget.Capacity)
        {
            return EnqueueOutcome.TooLarge;
        }
        if (!await _budget.TryReserveAsync(request.Records.Count, _enqueueTimeout, cancellationToken))
        {
            return EnqueueOutcome.Full;
        }
        // Known as queued before a writer can take it, so its status never goes missing in between.
        Queued.Add(request);
        if (!_channel.Writer.TryWrite(request))
        {
            Queued.Remove(request);
            _budget.Release(request.Records.Count);
            return IsClosed ? EnqueueOutcome.Closed : EnqueueOutcome.Full;
        }
        return EnqueueOutcome.Queued;
    }

    /// <summary>Stops taking records; writers drain what is queued and then finish.</summary>
    public void Complete()
    {
        IsClosed = true;
        _channel.Writer.TryComplete();
    }

    /// <summary>Gives back the room of committed (or failed) records.</summary>
    internal void Release(int records) => _budget.Release(records);

    /// <summary>Stopwatch timestamp of the oldest request still waiting in the channel, if any.</summary>
    public long? PeekOldestEnqueuedAt() =>
        _channel.Reader.TryPeek(out var oldest) ? oldest.EnqueuedAt : null;
}
