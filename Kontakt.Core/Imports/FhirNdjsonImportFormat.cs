using System.Runtime.CompilerServices;
using Kontakt.Core.Fhir;
using Kontakt.Core.Records;

namespace Kontakt.Core.Imports;

/// <summary>
/// <c>application/fhir+ndjson</c>: one FHIR R4 Patient per line (what <c>POST /fhir/$import</c> and
/// <c>*.fhir.ndjson</c> drop files carry); blank lines are skipped. A line becomes the record
/// <see cref="FhirPatientMapping"/> makes of it; errors name FHIR elements (<c>Patient.birthDate</c>).
/// </summary>
public sealed class FhirNdjsonImportFormat(FhirPatientMapping mapping, RecordValidator validator) : IImportFormat
{
    /// <summary>The stored name of the format.</summary>
    public const string FormatName = "fhir-ndjson";

    /// <summary>The upload media type.</summary>
    public const string FhirNdjsonMediaType = "application/fhir+ndjson";

    /// <summary>Longest line accepted, in bytes: Synthea Patients are a few KiB; this bounds the memory of one line.</summary>
    public const int MaxLineBytes = 256 * 1024;

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public string? MediaType => FhirNdjsonMediaType;

    /// <inheritdoc />
    public IReadOnlyList<FieldError> CheckHead(ReadOnlySpan<byte> head, bool isWholeFile, ImportFormatOptions options) => [];

    /// <inheritdoc />
    public async IAsyncEnumerable<ImportItem> ReadAsync(Stream input, ImportFormatOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var line in NdjsonLines.ReadAsync(input, MaxLineBytes, cancellationToken))
        {
            if (line.TooLong)
            {
                yield return ImportItem.Invalid(line.Number, FhirPatientMapping.PatientRoot, $"the line is longer than {MaxLineBytes:N0} bytes.");
                continue;
            }
            yield return Read(line.Number, line.Bytes.Span);
        }
    }

    private ImportItem Read(long number, ReadOnlySpan<byte> json)
    {
        var errors = new List<FieldError>();
        var patient = FhirPatientMapping.Parse(json, errors);
        if (patient is null)
        {
            return new ImportItem(number, null, errors);
        }
        // Checked here as well as by the engine so that the report names FHIR elements, not record fields.
        if (mapping.Validate(patient, RecordClients.CheckOnly, validator.Now(), errors) is null)
        {
            return new ImportItem(number, null, errors);
        }
        return ImportItem.Of(number, FhirPatientMapping.ToRecordRequest(patient).Request!);
    }
}
