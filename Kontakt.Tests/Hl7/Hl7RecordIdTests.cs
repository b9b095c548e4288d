using Kontakt.Core.Hl7;
using Kontakt.Core.Records;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Hl7;

public sealed class Hl7RecordIdTests
{
    [Theory]
    [InlineData("EPIC", "NORTH", "MSG00001", "hl7:EPIC:NORTH:MSG00001")]
    [InlineData("EPIC", "NORTH WING", "MSG_1", "hl7:EPIC:NORTH_20WING:MSG_5F1")]
    [InlineData("LAB^2.16.840.1^ISO", "", "a:b", "hl7:LAB_5E2.16.840.1_5EISO::a_3Ab")]
    [InlineData("Zürich", "F", "1", "hl7:Z_C3_BCrich:F:1")]
    public void The_readable_form_names_application_facility_and_control_ID(string application, string facility, string controlId, string expected) =>
        Assert.Equal(expected, Hl7RecordId.From(application, facility, controlId));

    [Fact]
    public void Separators_inside_values_cannot_make_two_triples_the_same_ID()
    {
        Assert.NotEqual(Hl7RecordId.From("A:B", "C", "1"), Hl7RecordId.From("A", "B:C", "1"));
        Assert.NotEqual(Hl7RecordId.From("A_3A", "C", "1"), Hl7RecordId.From("A:", "C", "1"));
    }

    [Fact]
    public void A_triple_too_long_for_a_recordId_is_hashed_and_every_form_passes_the_validator()
    {
        var longId = Hl7RecordId.From(new string('a', 120), "facility", "control-1");
        Assert.StartsWith(Hl7RecordId.HashedPrefix, longId, StringComparison.Ordinal);
        Assert.Equal(Hl7RecordId.HashedPrefix.Length + 64, longId.Length);
        Assert.NotEqual(longId, Hl7RecordId.From(new string('a', 120), "facility", "control-2"));

        var validator = new RecordValidator(new FixedClock(DateTimeOffset.UtcNow));
        foreach (var id in new[] { longId, Hl7RecordId.From("Zürich ☃", "x|y", new string('9', 40)) })
        {
            var errors = new List<FieldError>();
            Assert.NotNull(validator.Validate(new RecordRequest { Name = "A B", Dob = "1980-01-01", RecordId = id }, TestRecords.Client, DateTimeOffset.UtcNow, errors));
        }
    }
}
