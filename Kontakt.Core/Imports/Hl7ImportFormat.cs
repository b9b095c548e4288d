using System.Runtime.CompilerServices;
using Kontakt.Core.Hl7;
using Kontakt.Core.Records;

namespace Kontakt.Core.Imports;

/// <summary>
/// <c>hl7</c>: a file of HL7 v2 ADT messages, MLLP-framed, in a batch (<c>FHS</c>/<c>BHS</c> … <c>BTS</c>/<c>FTS</c>)
/// or as plain segments (<see cref="Hl7MessageReader"/>). Each message is mapped as the MLLP listener maps it
/// (<see cref="AdtRecordMapper"/>), recordId from MSH-3, MSH-4 and MSH-10, so a message received over MLLP and
/// again in a file is stored once. An item's line is the line of the message's MSH segment; its errors name
/// HL7 locations (<c>PID-7</c>, <c>MSH-9.2</c>), never values. Not uploadable on <c>POST /v1/imports</c>
/// (no media type): HL7 files arrive through the drop folder.
/// </summary>
public sealed class Hl7ImportFormat(AdtRecordMapper mapper, RecordValidator validator) : IImportFormat
{
    /// <summary>Largest message read, in bytes: the MLLP listener's default bound (<c>Kontakt:Hl7:MaxMessageBytes</c>).</summary>
    public const int MaxMessageBytes = 512 * 1024;

    /// <inheritdoc />
    public string Name => "hl7";

    /// <inheritdoc />
    public string? MediaType => null;

    /// <inheritdoc />
    public IReadOnlyList<FieldError> CheckHead(ReadOnlySpan<byte> head, bool isWholeFile, ImportFormatOptions options) => [];

    /// <inheritdoc />
    public async IAsyncEnumerable<ImportItem> ReadAsync(Stream input, ImportFormatOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in Hl7MessageReader.ReadAsync(input, MaxMessageBytes, cancellationToken))
        {
            yield return ToItem(message);
        }
    }

    private ImportItem ToItem(Hl7FileMessage message)
    {
        if (message.Error is { } error)
        {
            return ImportItem.Invalid(message.Line, "$", error);
        }
        if (message.Parse() is not { } parsed)
        {
            return ImportItem.Invalid(message.Line, "MSH", "the message does not start with a readable MSH segment (MSH, then the field separator and encoding characters).");
        }
        var mapping = AdtRecordMapper.ToRequest(parsed);
        if (mapping.Request is null)
        {
            return Invalid(message.Line, mapping.Errors);
        }
        // The engine validates again; validating here as well lets a rejected record's errors name the
        // message's fields (PID-7) the way the listener's acknowledgement does, instead of the record's (dob).
        var receivedAt = validator.Now();
        if (validator.Validate(mapping.Request, RecordClients.CheckOnly, receivedAt, []) is null)
        {
            return Invalid(message.Line, mapper.Map(parsed, RecordClients.CheckOnly, receivedAt).Errors);
        }
        return ImportItem.Of(message.Line, mapping.Request);
    }

    private static ImportItem Invalid(long line, IReadOnlyList<Hl7Error> errors) =>
        new(line, null, errors.Select(e => new FieldError(e.Location?.ToString() ?? "$", e.Reason)).ToArray());
}
