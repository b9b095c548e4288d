using Kontakt.Core.Records;

namespace Kontakt.Core.Fhir;

/// <summary>
/// What a FHIR Patient maps to before validation: the record request, or the reasons it has none, and
/// the FHIR element each record field came from (so the validator's errors can name FHIR elements).
/// </summary>
/// <param name="Request">The record; null when <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">Why there is no record, each naming a FHIR element.</param>
/// <param name="Root">The Patient's own expression (<c>Patient</c>, or <c>Bundle.entry[3].resource</c>).</param>
/// <param name="NamePath">The element the name came from: <c>Patient.name[0].text</c> or <c>Patient.name[0]</c>.</param>
/// <param name="ColorPath">The element the color came from: <c>Patient.extension[2].value</c>.</param>
public sealed record FhirPatientRecord(RecordRequest? Request, IReadOnlyList<FieldError> Errors, string Root, string NamePath, string ColorPath)
{
    /// <summary>The FHIR element of a record field as the validator names it (<c>name</c>, <c>dob</c>, <c>favoriteColor</c>).</summary>
    public string PathOf(string recordField) => recordField switch
    {
        "name" => NamePath,
        "dob" => Root + ".birthDate",
        "favoriteColor" => ColorPath,
        "recordId" => Root + ".id",
        _ => Root,
    };
}
