using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Kontakt.LoadTest.Cli;
using Kontakt.LoadTest.Data;
using Kontakt.LoadTest.Verification;

namespace Kontakt.LoadTest.Load;

/// <summary>
/// Sends one <see cref="WorkItem"/> until it is acknowledged or given up on, retrying per
/// <see cref="RetryPolicy"/>, and books the outcome: metrics, patient IDs, visibility samples.
/// </summary>
public sealed class RequestExecutor(
    IRecordTransport transport,
    LoadMode mode,
    RecordPlan plan,
    RecordBodyWriter bodies,
    RecordIdScheme ids,
    RunMetrics metrics,
    IdentityBook book,
    ErrorSamples errors,
    VisibilitySampler? visibility)
{
    private readonly ConcurrentBag<RequestBuffer> _buffers = [];

    /// <summary>Sends <paramref name="item"/>; latency counts from <paramref name="clockStart"/> (first or intended send).</summary>
    /// <param name="item">The records.</param>
    /// <param name="clockStart"><see cref="Stopwatch"/> timestamp the latency is measured from.</param>
    /// <param name="stopRetrying">Once cancelled, failed attempts are not retried.</param>
    public async Task ExecuteAsync(WorkItem item, long clockStart, CancellationToken stopRetrying)
    {
        if (!_buffers.TryTake(out var buffer))
        {
            buffer = new RequestBuffer();
        }
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var (status, retryAfter) = await SendAsync(item, buffer);
                if (IsAcknowledgement(status))
                {
                    var now = Stopwatch.GetTimestamp();
                    metrics.Acknowledged(item.Count, (long)Stopwatch.GetElapsedTime(clockStart, now).TotalMicroseconds, now);
                    Book(item, status, buffer.Response, now);
                    return;
                }
                var delay = RetryPolicy.Decide(status, attempt, retryAfter, Random.Shared.NextDouble());
                if (delay is null || stopRetrying.IsCancellationRequested)
                {
                    metrics.Failed(item.Count);
                    return;
                }
                metrics.RetryWaitStarted();
                try
                {
                    await Task.Delay(delay.Value, stopRetrying);
                }
                catch (OperationCanceledException)
                {
                    metrics.Failed(item.Count);
                    return;
                }
                finally
                {
                    metrics.RetryWaitFinished();
                }
            }
        }
        finally
        {
            _buffers.Add(buffer);
        }
    }

    private bool IsAcknowledgement(int status) => status == 201 || (mode == LoadMode.Async && status == 202);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(int Status, TimeSpan? RetryAfter)> SendAsync(WorkItem item, RequestBuffer buffer)
    {
        var writer = buffer.StartBody();
        if (mode == LoadMode.Batch)
        {
            bodies.WriteBatch(writer, item.First, item.Count);
        }
        else
        {
            bodies.WriteRecord(writer, item.First);
        }
        var request = mode switch
        {
            LoadMode.Batch => TransportRequest.PostBatch,
            LoadMode.Async => TransportRequest.PostRecordRespondAsync,
            _ => TransportRequest.PostRecord,
        };

        var status = AttemptStatus.TransportError;
        metrics.AttemptStarted();
        try
        {
            var result = await transport.SendAsync(request, buffer.Body(), buffer, CancellationToken.None);
            status = result.Status;
            if (result.Error is not null)
            {
                errors.Add(status, default, result.Error);
            }
            else if (!AttemptStatus.IsSuccess(status))
            {
                errors.Add(status, buffer.Response);
            }
            return (status, result.RetryAfter);
        }
        finally
        {
            metrics.AttemptFinished(status);
        }
    }

    private void Book(WorkItem item, int status, ReadOnlySpan<byte> body, long acknowledgedAt)
    {
        try
        {
            if (status == 202)
            {
                BookQueued(item, ResponseParser.ParseQueued(body));
                visibility?.Acknowledged(item, acknowledgedAt);
            }
            else if (mode == LoadMode.Batch)
            {
                var results = new List<CreatedRecord>(item.Count);
                ResponseParser.ParseCreatedBatch(body, results);
                BookCreated(item, results);
            }
            else
            {
                BookCreated(item, [ResponseParser.ParseCreated(body)]);
            }
        }
        catch (JsonException error)
        {
            metrics.MismatchedResponse();
            errors.Add(status, default, "unreadable acknowledgement: " + error.Message);
        }
    }

    private void BookCreated(WorkItem item, List<CreatedRecord> results)
    {
        if (!Matches(item, results.Count, i => results[i].RecordId))
        {
            metrics.MismatchedResponse();
            return;
        }
        var newPatients = 0;
        for (var i = 0; i < results.Count; i++)
        {
            book.RecordPatient(plan[item.First + i].Identity, results[i].PatientId);
            newPatients += results[i].NewPatient ? 1 : 0;
        }
        metrics.NewPatientsSeen(newPatients);
    }

    private void BookQueued(WorkItem item, IReadOnlyList<string> queued)
    {
        if (!Matches(item, queued.Count, i => queued[i]))
        {
            metrics.MismatchedResponse();
            return;
        }
        for (var sequence = item.First; sequence < item.First + item.Count; sequence++)
        {
            book.MarkAcknowledged(plan[sequence].Identity);
        }
    }

    private bool Matches(WorkItem item, int count, Func<int, string> recordIdAt)
    {
        if (count != item.Count)
        {
            return false;
        }
        for (var i = 0; i < count; i++)
        {
            if (!ids.TryParseSequence(recordIdAt(i), out var sequence) || sequence != item.First + i)
            {
                return false;
            }
        }
        return true;
    }
}
