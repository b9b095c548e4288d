using System.Buffers;
using System.Text;
using Kontakt.Core.Hl7;
using Kontakt.Core.Ingest;
using Kontakt.Core.Records;
using Microsoft.Extensions.Options;

namespace Kontakt.Api.Hl7;

/// <summary>
/// One MLLP message in, its ACK out: parse, map and validate (<see cref="AdtRecordMapper"/>), queue through
/// the <see cref="IngestQueue"/> like every other input, wait for the commit, and only then answer AA.
/// </summary>
internal sealed class Hl7MessageHandler(
    AdtRecordMapper mapper,
    RecordValidator validator,
    IngestQueue queue,
    IngestObserver observer,
    IOptions<IngestOptions> ingestOptions,
    TimeProvider clock)
{
    /// <summary>
    /// The ACK of the message in <paramref name="frame"/> as UTF-8, or null when the frame is not an HL7 v2
    /// message at all (no MSH segment with usable delimiters): there is nothing to acknowledge then, and the
    /// connection is closed as garbage.
    /// </summary>
    public async Task<byte[]?> HandleAsync(ReadOnlySequence<byte> frame)
    {
        var message = frame.IsSingleSegment ? Hl7Message.Parse(frame.FirstSpan) : Hl7Message.Parse(frame.ToArray());
        if (message is null)
        {
            observer.RecordsRejected(1);
            return null;
        }
        var (code, errors) = await StoreAsync(message);
        var ack = Hl7Ack.Build(message, code, errors, Hl7Ack.NewControlId(), clock.GetUtcNow());
        return Encoding.UTF8.GetBytes(ack);
    }

    private async Task<(Hl7AckCode Code, IReadOnlyList<Hl7Error> Errors)> StoreAsync(Hl7Message message)
    {
        // MLLP carries no key: every message is the interface channels' client's, so a retransmission, over
        // MLLP or in a file in the drop folder, replays.
        var mapped = mapper.Map(message, RecordClients.Interfaces, validator.Now());
        if (mapped.Record is not { } record)
        {
            observer.RecordsRejected(1);
            return (mapped.Code, mapped.Errors);
        }

        var request = new IngestRequest([record], callerWaits: true);
        // Not cancelled by shutdown: a record that is queued is drained by the writers, and its sender deserves the answer.
        var enqueued = await queue.EnqueueAsync(request, CancellationToken.None);
        if (enqueued != EnqueueOutcome.Queued)
        {
            observer.RecordsOverloaded(1);
            return Rejected(enqueued == EnqueueOutcome.Closed
                ? "Kontakt is shutting down; nothing was stored. Send the message again later."
                : "the ingest queue is full; nothing was stored. Send the message again later.");
        }
        observer.RecordsAccepted(1);

        var timeout = ingestOptions.Value.CommitTimeout;
        RecordOutcome outcome;
        try
        {
            outcome = (await request.Completion.WaitAsync(timeout))[0];
        }
        catch (TimeoutException)
        {
            return Rejected($"the commit was not confirmed within {timeout.TotalSeconds:0} s; the message may be stored. Send it again: a retransmission is stored once.");
        }
        return outcome switch
        {
            RecordOutcome.Stored or RecordOutcome.Replayed => (Hl7AckCode.AA, []),
            RecordOutcome.Conflict => (Hl7AckCode.AE, [new Hl7Error(Hl7ErrorCode.DuplicateKeyIdentifier, new Hl7Location("MSH", Field: 10),
                "this message control ID from this sending application and facility was already stored for a different person or color; nothing was stored.")]),
            RecordOutcome.Refused refused => (Hl7AckCode.AE, [new Hl7Error(Hl7ErrorCode.ApplicationInternalError, null,
                "the database refused the record: " + refused.Reason)]),
            RecordOutcome.Unavailable => Rejected("the database could not be written for too long; the message may or may not be stored. Send it again: a retransmission is stored once."),
            _ => throw new InvalidOperationException("Unknown record outcome."),
        };
    }

    // AR, not AE: the standard's answer for a message not processed for reasons unrelated to its content (docs/integrations.md).
    private static (Hl7AckCode, IReadOnlyList<Hl7Error>) Rejected(string reason) =>
        (Hl7AckCode.AR, [new Hl7Error(Hl7ErrorCode.ApplicationInternalError, null, reason)]);
}
