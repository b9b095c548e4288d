using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Kontakt.LoadTest.Data;
using Kontakt.LoadTest.Load;
using Kontakt.LoadTest.Reporting;
using Npgsql;

namespace Kontakt.LoadTest.Verification;

/// <summary>
/// async mode: a 202 carries no patient ID, so while the run goes on this polls the database
/// every few milliseconds for the sampled records acknowledged so far, notes when each shows
/// up, then asks the API for the patient it belongs to.
/// </summary>
public sealed class VisibilitySampler
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan ApiPatience = TimeSpan.FromSeconds(5);
    private const int MaxIdsPerPoll = 5000;
    private const int MaxApiProblems = 10;

    private readonly bool[] _sampled;
    private readonly RecordIdScheme _ids;
    private readonly AuditStore _store;
    private readonly HttpClient _http;
    private readonly string? _analystKey;
    private readonly ConcurrentQueue<(int Sequence, long AcknowledgedAt)> _acknowledged = new();
    private readonly Dictionary<string, long> _pending = new(StringComparer.Ordinal);
    private readonly List<Task> _apiChecks = [];
    private readonly SemaphoreSlim _apiSlots = new(4, 4);
    private readonly List<double> _toDatabaseMs = [];
    private readonly ConcurrentBag<double> _toApiMs = [];
    private readonly ConcurrentQueue<string> _apiProblems = new();
    private int _sampledAcknowledged;
    private int _pollErrors;

    public VisibilitySampler(int records, int sampleSize, RecordIdScheme ids, AuditStore store, HttpClient http, string? analystKey)
    {
        _analystKey = analystKey;
        _sampled = new bool[records];
        foreach (var sequence in SampleSelection.Spread(records, sampleSize))
        {
            _sampled[sequence] = true;
        }
        _ids = ids;
        _store = store;
        _http = http;
    }

    /// <summary>Called by the senders for every acknowledged request.</summary>
    public void Acknowledged(WorkItem item, long acknowledgedAt)
    {
        for (var sequence = item.First; sequence < item.First + item.Count; sequence++)
        {
            if (_sampled[sequence])
            {
                _acknowledged.Enqueue((sequence, acknowledgedAt));
            }
        }
    }

    /// <summary>Polls until <paramref name="runFinished"/> fires and every sample is found, or <paramref name="settleTimeout"/> after that.</summary>
    public async Task RunAsync(CancellationToken runFinished, TimeSpan settleTimeout, CancellationToken abort)
    {
        long? giveUpAt = null;
        while (!abort.IsCancellationRequested)
        {
            while (_acknowledged.TryDequeue(out var acknowledged))
            {
                _pending[_ids.For(acknowledged.Sequence)] = acknowledged.AcknowledgedAt;
                _sampledAcknowledged++;
            }
            if (runFinished.IsCancellationRequested)
            {
                giveUpAt ??= Stopwatch.GetTimestamp() + (long)(settleTimeout.TotalSeconds * Stopwatch.Frequency);
                if ((_pending.Count == 0 && _acknowledged.IsEmpty) || Stopwatch.GetTimestamp() > giveUpAt)
                {
                    break;
                }
            }
            if (_pending.Count > 0)
            {
                await PollAsync(abort);
            }
            try
            {
                await Task.Delay(PollInterval, abort);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(_apiChecks);
    }

    public VisibilityResult Result() => new(
        _sampledAcknowledged,
        _toDatabaseMs.Count,
        _toApiMs.Count,
        PollInterval.TotalMilliseconds,
        Percentiles.Summarize(_toDatabaseMs),
        Percentiles.Summarize([.. _toApiMs]),
        _pollErrors,
        [.. _apiProblems, .. _pending.Count > 0 ? [$"{_pending.Count} sampled records never became visible in the database."] : Array.Empty<string>()]);

    private async Task PollAsync(CancellationToken abort)
    {
        var ids = _pending.Keys.Take(MaxIdsPerPoll).ToArray();
        IReadOnlyList<(string RecordId, Guid PatientId)> found;
        try
        {
            found = await _store.FindVisibleAsync(ids, abort);
        }
        catch (NpgsqlException)
        {
            _pollErrors++;
            return;
        }
        var seenAt = Stopwatch.GetTimestamp();
        foreach (var (recordId, patientId) in found)
        {
            if (_pending.Remove(recordId, out var acknowledgedAt))
            {
                _toDatabaseMs.Add(Stopwatch.GetElapsedTime(acknowledgedAt, seenAt).TotalMilliseconds);
                _apiChecks.Add(ConfirmByApiAsync(recordId, patientId, acknowledgedAt, abort));
            }
        }
    }

    private async Task ConfirmByApiAsync(string recordId, Guid patientId, long acknowledgedAt, CancellationToken abort)
    {
        try
        {
            await _apiSlots.WaitAsync(abort);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            var giveUpAt = Stopwatch.GetTimestamp() + (long)(ApiPatience.TotalSeconds * Stopwatch.Frequency);
            var path = new Uri($"v1/patients/{patientId:D}", UriKind.Relative);
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                if (_analystKey is not null)
                {
                    // Reading the public store is an analyst's; the client's own key is for writing.
                    request.Headers.Add(ApiKeys.Header, _analystKey);
                }
                // Patience is judged by when a GET was sent, not answered: on a loaded machine a 404 can arrive late
                // for a GET sent in time, and only one sent after the patience ran out shows a record still invisible.
                var sentAt = Stopwatch.GetTimestamp();
                using var response = await _http.SendAsync(request, abort);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var body = await response.Content.ReadAsByteArrayAsync(abort);
                    if (ResponseParser.ParsePatientId(body) == patientId)
                    {
                        _toApiMs.Add(Stopwatch.GetElapsedTime(acknowledgedAt).TotalMilliseconds);
                    }
                    else
                    {
                        Problem($"{recordId}: the API returned another patient ID than the database.");
                    }
                    return;
                }
                if (response.StatusCode != HttpStatusCode.NotFound || sentAt > giveUpAt)
                {
                    Problem($"{recordId}: GET /v1/patients/{patientId:D} answered {(int)response.StatusCode}.");
                    return;
                }
                await Task.Delay(PollInterval, abort);
            }
        }
        catch (Exception error) when (error is HttpRequestException or JsonException or TaskCanceledException)
        {
            Problem($"{recordId}: {error.Message}");
        }
        finally
        {
            _apiSlots.Release();
        }
    }

    private void Problem(string message)
    {
        if (_apiProblems.Count < MaxApiProblems)
        {
            _apiProblems.Enqueue(message);
        }
    }
}
