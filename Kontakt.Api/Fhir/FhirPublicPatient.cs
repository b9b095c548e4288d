using Hl7.Fhir.Model;
using Kontakt.Core.Fhir;

namespace Kontakt.Api.Fhir;

/// <summary>
/// The public Patient: what the public store holds of a person, as FHIR — the patient ID, when this
/// version became current and the favorite color. Never a name or a birth date.
/// </summary>
internal static class FhirPublicPatient
{
    public static Patient Create(Guid patientId, string? favoriteColor, DateTimeOffset validFrom)
    {
        var patient = new Patient
        {
            Id = patientId.ToString("D"),
            Meta = new Meta { LastUpdated = validFrom },
        };
        if (favoriteColor is not null)
        {
            patient.Extension.Add(new Extension(FhirPatientMapping.FavoriteColorUrl, new FhirString(favoriteColor)));
        }
        return patient;
    }

    public static string Location(Guid patientId) => $"/fhir/Patient/{patientId:D}";
}
