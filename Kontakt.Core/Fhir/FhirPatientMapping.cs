using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Hl7.Fhir.Validation;
using Kontakt.Core.Records;

namespace Kontakt.Core.Fhir;

/// <summary>
/// Turns a FHIR R4 Patient into a Kontakt record and validates it with the one <see cref="RecordValidator"/>
/// every input path uses. Field errors name FHIR elements (<c>Patient.birthDate</c>), never values.
/// Used by <c>POST /fhir/Patient</c>, by FHIR Bundles, and by anything that reads Patients line by line.
/// </summary>
public sealed class FhirPatientMapping(RecordValidator validator)
{
    /// <summary>The extension whose <c>valueString</c> is the person's favorite color.</summary>
    public const string FavoriteColorUrl = "https://kontakt.example/fhir/StructureDefinition/favorite-color";

    /// <summary>The expression of a Patient that stands alone (a request body, an NDJSON line).</summary>
    public const string PatientRoot = "Patient";

    // Strict: an element Kontakt does not know is refused rather than silently dropped. Narratives are
    // display text Kontakt neither stores nor shows, so their XHTML is not checked.
    private static readonly FhirJsonDeserializer Deserializer =
        new(new DeserializerSettings().UsingMode(DeserializationMode.Strict, NarrativeValidationKind.None));

    /// <summary>
    /// Parses one Patient from its JSON (UTF-8) and validates it as a record. Returns the record, or
    /// <c>null</c> with the reasons added to <paramref name="errors"/>.
    /// </summary>
    /// <param name="utf8Json">One FHIR JSON resource; anything but a Patient is refused.</param>
    /// <param name="client">Whose record it is (<see cref="RecordClients"/>).</param>
    /// <param name="receivedAt">When the record was received (<see cref="RecordValidator.Now"/>).</param>
    /// <param name="errors">Receives the reasons, each naming a FHIR element below <paramref name="root"/>.</param>
    /// <param name="root">The expression of the Patient itself: <c>Patient</c>, or <c>Bundle.entry[3].resource</c> inside a Bundle.</param>
    /// <param name="recordId">The record's ID, or null to let the validator assign one.</param>
    public ValidatedRecord? Validate(
        ReadOnlySpan<byte> utf8Json, string client, DateTimeOffset receivedAt, List<FieldError> errors, string root = PatientRoot, string? recordId = null)
    {
        var patient = Parse(utf8Json, errors, root);
        return patient is null ? null : Validate(patient, client, receivedAt, errors, root, recordId);
    }

    /// <summary>Validates a parsed Patient as a record; see <see cref="Validate(ReadOnlySpan{byte}, string, DateTimeOffset, List{FieldError}, string, string?)"/>.</summary>
    public ValidatedRecord? Validate(Patient patient, string client, DateTimeOffset receivedAt, List<FieldError> errors, string root = PatientRoot, string? recordId = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var mapped = ToRecordRequest(patient, root);
        if (mapped.Request is null)
        {
            errors.AddRange(mapped.Errors);
            return null;
        }
        mapped.Request.RecordId = recordId;
        var recordErrors = new List<FieldError>();
        var record = validator.Validate(mapped.Request, client, receivedAt, recordErrors);
        errors.AddRange(recordErrors.Select(e => e with { Field = mapped.PathOf(e.Field) }));
        return record;
    }

    /// <summary>
    /// The record a Patient stands for, before validation: the <c>official</c> name (else the first) —
    /// its <c>text</c> if present, else the given names then the family name, single spaces, prefix and
    /// suffix left out; <c>birthDate</c>; the favorite-color extension. Errors for what is missing or not
    /// a full date; the record contract itself is checked by <see cref="RecordValidator"/>.
    /// </summary>
    public static FhirPatientRecord ToRecordRequest(Patient patient, string root = PatientRoot)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var errors = new List<FieldError>();
        var (name, namePath) = NameOf(patient, root, errors);
        var dob = BirthDateOf(patient, root, errors);
        var (color, colorPath) = ColorOf(patient, root, errors);
        if (errors.Count > 0)
        {
            return new FhirPatientRecord(null, errors, root, namePath, colorPath);
        }
        return new FhirPatientRecord(new RecordRequest { Name = name, Dob = dob, FavoriteColor = color }, [], root, namePath, colorPath);
    }

    /// <summary>
    /// Reads one FHIR resource and returns it if it is a valid Patient; otherwise <c>null</c> with the
    /// reasons in <paramref name="errors"/>. The parser's own messages are not used: they quote values.
    /// </summary>
    public static Patient? Parse(ReadOnlySpan<byte> utf8Json, List<FieldError> errors, string root = PatientRoot)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 64 });
        Resource? resource;
        IEnumerable<CodedException>? issues;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                errors.Add(new FieldError(root, "must be a JSON object (a FHIR resource)."));
                return null;
            }
            reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 64 });
            Deserializer.TryDeserializeResource(ref reader, out resource, out issues);
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            errors.Add(new FieldError(root, "is not valid JSON."));
            return null;
        }
        if (resource is not null and not Patient)
        {
            errors.Add(new FieldError(root + ".resourceType", "must be Patient."));
            return null;
        }
        var found = (issues ?? []).ToList();
        if (found.Count > 0 || resource is null)
        {
            var before = errors.Count;
            foreach (var issue in found.Take(20))
            {
                errors.Add(Describe(issue, root));
            }
            if (errors.Count == before)
            {
                errors.Add(new FieldError(root, "is not a valid FHIR R4 Patient."));
            }
            return null;
        }
        return (Patient)resource;
    }

    private static FieldError Describe(CodedException issue, string root)
    {
        var path = issue is ExtendedCodedException { InstancePath: { Length: > 0 } instancePath } ? RootedPath(instancePath, root) : root;
        var reason = issue.ErrorCode switch
        {
            "JSON103" => "must have a resourceType.",
            "PVAL130" => "has an unknown resourceType.",
            "PVAL128" => "is not an element of a FHIR R4 Patient.",
            "PVAL105" => "is required by FHIR R4 (minimum cardinality 1).",
            "PVAL116" => "is not a code of the element's value set.",
            "PVAL123" or "PVAL124" or "PVAL125" or "PVAL126" => "does not have the form this FHIR element requires.",
            "PVAL129" => "must not be empty.",
            { } code when code.StartsWith("JSON", StringComparison.Ordinal) => $"is not valid FHIR JSON ({code}).",
            { } code => $"is not valid FHIR R4 ({code}).",
            _ => "is not valid FHIR R4.",
        };
        return new FieldError(path, reason);
    }

    // Firely names the resource by its type ("Patient.name[0].family") or "$this" when it could not tell.
    private static string RootedPath(string instancePath, string root)
    {
        foreach (var head in new[] { "Patient", "$this" })
        {
            if (instancePath == head)
            {
                return root;
            }
            if (instancePath.StartsWith(head + ".", StringComparison.Ordinal))
            {
                return root + instancePath[head.Length..];
            }
        }
        return root;
    }

    private static (string? Name, string Path) NameOf(Patient patient, string root, List<FieldError> errors)
    {
        var names = patient.Name;
        if (names.Count == 0)
        {
            errors.Add(new FieldError(root + ".name", "is required: a HumanName with text or given and family names."));
            return (null, root + ".name");
        }
        var index = names.FindIndex(n => n.Use == HumanName.NameUse.Official);
        if (index < 0)
        {
            index = 0;
        }
        var chosen = names[index];
        var path = $"{root}.name[{index}]";
        if (chosen.Text is { } text)
        {
            return (text, path + ".text");
        }
        var parts = chosen.Given.Append(chosen.Family)
            .Where(part => !string.IsNullOrWhiteSpace(part))
            .Select(part => part!.Trim());
        var composed = string.Join(' ', parts);
        if (composed.Length == 0)
        {
            errors.Add(new FieldError(path, "must have a text, or given or family names."));
            return (null, path);
        }
        return (composed, path);
    }

    private static string? BirthDateOf(Patient patient, string root, List<FieldError> errors)
    {
        var path = root + ".birthDate";
        var dob = patient.BirthDate;
        if (dob is null)
        {
            errors.Add(new FieldError(path, "is required."));
            return null;
        }
        if (dob.Length != 10)
        {
            errors.Add(new FieldError(path, "must be a full date (YYYY-MM-DD); a year or a year and month alone does not identify a person."));
            return null;
        }
        return dob;
    }

    private static (string? Color, string Path) ColorOf(Patient patient, string root, List<FieldError> errors)
    {
        var indexes = Enumerable.Range(0, patient.Extension.Count).Where(i => patient.Extension[i].Url == FavoriteColorUrl).ToArray();
        if (indexes.Length == 0)
        {
            return (null, root + ".extension");
        }
        var path = $"{root}.extension[{indexes[0]}].value";
        if (indexes.Length > 1)
        {
            errors.Add(new FieldError($"{root}.extension[{indexes[1]}]", "the favorite-color extension must appear at most once."));
            return (null, path);
        }
        if (patient.Extension[indexes[0]].Value is not FhirString { Value: { } color })
        {
            errors.Add(new FieldError(path, "must be a valueString."));
            return (null, path);
        }
        return (color, path);
    }
}
