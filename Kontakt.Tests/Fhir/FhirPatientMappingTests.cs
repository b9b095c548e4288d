using System.Text;
using Hl7.Fhir.Model;
using Kontakt.Core.Fhir;
using Kontakt.Core.Records;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Fhir;

/// <summary>The Patient → record mapping on its own, as the import engine uses it for NDJSON lines.</summary>
public sealed class FhirPatientMappingTests
{
    private readonly RecordValidator _validator = new(TimeProvider.System);

    private FhirPatientMapping Mapping => new(_validator);

    [Theory]
    [InlineData("""[{"use":"usual","given":["Al"],"family":"X"},{"use":"official","prefix":["Dr."],"given":["Ada","Augusta"],"family":"King","suffix":["PhD"]}]""", "Ada Augusta King")]
    [InlineData("""[{"given":["  Ada "],"family":" Lovelace"},{"use":"maiden","given":["Ada"],"family":"Byron"}]""", "Ada Lovelace")]
    [InlineData("""[{"use":"official","text":"Ada  Lovelace","given":["Other"],"family":"Name"}]""", "Ada  Lovelace")]
    [InlineData("""[{"use":"official","family":"Lovelace"}]""", "Lovelace")]
    [InlineData("""[{"use":"official","given":["Ada"]}]""", "Ada")]
    public void The_name_is_the_official_ones_text_else_given_then_family(string names, string expected)
    {
        var errors = new List<FieldError>();
        var record = Mapping.Validate(Json($$"""{"resourceType":"Patient","name":{{names}},"birthDate":"1985-12-10"}"""), TestRecords.Client, _validator.Now(), errors);
        Assert.True(record is not null, string.Join("; ", errors));
        Assert.Equal(expected, record.Name);
        Assert.Equal(new DateOnly(1985, 12, 10), record.Dob);
        Assert.Null(record.FavoriteColor);
    }

    [Fact]
    public void The_favorite_color_extension_is_the_color_in_canonical_form()
    {
        var errors = new List<FieldError>();
        var record = Mapping.Validate(Json($$"""
            {"resourceType":"Patient","name":[{"text":"Ada Lovelace"}],"birthDate":"1985-12-10",
             "extension":[{"url":"http://example.org/other","valueString":"x"},{"url":"{{FhirPatientMapping.FavoriteColorUrl}}","valueString":"Sky  Blue"}]}
            """), TestRecords.Client, _validator.Now(), errors);
        Assert.True(record is not null, string.Join("; ", errors));
        Assert.Equal("Sky  Blue", record.FavoriteColor);
        Assert.Equal("sky blue", record.CanonicalColor);
    }

    [Theory]
    [InlineData("""{"resourceType":"Patient","name":[{"text":"A B"}],"birthDate":"1985-12"}""", "Patient.birthDate")]
    [InlineData("""{"resourceType":"Patient","name":[{"text":"A B"}]}""", "Patient.birthDate")]
    [InlineData("""{"resourceType":"Patient","birthDate":"1985-12-10"}""", "Patient.name")]
    [InlineData("""{"resourceType":"Patient","name":[{"use":"official","prefix":["Dr."]}],"birthDate":"1985-12-10"}""", "Patient.name[0]")]
    [InlineData("""{"resourceType":"Patient","name":[{"text":"A B"}],"birthDate":"1985-12-10","extension":[{"url":"https://kontakt.example/fhir/StructureDefinition/favorite-color","valueInteger":5}]}""", "Patient.extension[0].value")]
    [InlineData("""{"resourceType":"Patient","name":[{"text":"A B"}],"birthDate":"1985-12-10","extension":[{"url":"https://kontakt.example/fhir/StructureDefinition/favorite-color","valueString":"red"},{"url":"https://kontakt.example/fhir/StructureDefinition/favorite-color","valueString":"blue"}]}""", "Patient.extension[1]")]
    [InlineData("""{"resourceType":"Patient","name":[{"text":"A B"}],"birthDate":"1985-12-10","gender":"sometimes"}""", "Patient.gender")]
    [InlineData("""{"resourceType":"Encounter","status":"finished"}""", "Patient.resourceType")]
    [InlineData("""{"name":[{"text":"A B"}]}""", "Patient.resourceType")]
    [InlineData("""not json""", "Patient")]
    [InlineData("""[]""", "Patient")]
    public void An_invalid_Patient_gives_errors_naming_FHIR_elements(string json, string expression)
    {
        var errors = new List<FieldError>();
        Assert.Null(Mapping.Validate(Json(json), TestRecords.Client, _validator.Now(), errors));
        Assert.Contains(expression, errors.Select(e => e.Field));
    }

    [Fact]
    public void Errors_are_named_below_the_root_given_and_never_carry_the_value()
    {
        var errors = new List<FieldError>();
        var patient = new Patient { Name = [new HumanName { Given = ["Secretname"], Family = "Otherword" }], BirthDate = "2999-01-01" };
        patient.SetStringExtension(FhirPatientMapping.FavoriteColorUrl, "Secretcolor");
        Assert.Null(Mapping.Validate(patient, TestRecords.Client, _validator.Now(), errors, "Bundle.entry[7].resource"));
        Assert.Equal(["Bundle.entry[7].resource.extension[0].value", "Bundle.entry[7].resource.birthDate"], errors.Select(e => e.Field));
        Assert.DoesNotContain(errors, e => e.Message.Contains("Secret", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("2999", StringComparison.Ordinal));
    }

    [Fact]
    public void ToRecordRequest_gives_the_record_before_validation_and_the_element_of_each_field()
    {
        var patient = new Patient { Name = [new HumanName { Text = "Ada Lovelace" }], BirthDate = "1985-12-10" };
        patient.SetStringExtension(FhirPatientMapping.FavoriteColorUrl, "teal");
        var mapped = FhirPatientMapping.ToRecordRequest(patient);
        Assert.Empty(mapped.Errors);
        Assert.Equal(("Ada Lovelace", "1985-12-10", "teal"), (mapped.Request!.Name, mapped.Request.Dob, mapped.Request.FavoriteColor));
        Assert.Equal(("Patient.name[0].text", "Patient.birthDate", "Patient.extension[0].value"), (mapped.PathOf("name"), mapped.PathOf("dob"), mapped.PathOf("favoriteColor")));
    }

    [Fact]
    public void A_given_record_id_is_kept_so_a_resumed_import_stores_each_line_once()
    {
        var errors = new List<FieldError>();
        var record = Mapping.Validate(Json("""{"resourceType":"Patient","name":[{"text":"A B"}],"birthDate":"1985-12-10"}"""), TestRecords.Client, _validator.Now(), errors, recordId: "job-1:line-2");
        Assert.Equal("job-1:line-2", record!.RecordId);
    }

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);
}
