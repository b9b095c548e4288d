using Kontakt.Core.Records;

namespace Kontakt.Tests.Support;

/// <summary>Builds records for tests.</summary>
public static class TestRecords
{
    private static readonly RecordValidator Validator = new(TimeProvider.System);

    public static ValidatedRecord Valid(string name, string dob = "1980-04-01", string? color = "green", string? recordId = null)
    {
        var errors = new List<FieldError>();
        var record = Validator.Validate(new RecordRequest { Name = name, Dob = dob, FavoriteColor = color, RecordId = recordId }, Validator.Now(), errors);
        return record ?? throw new InvalidOperationException(string.Join("; ", errors));
    }

    public static string UniqueName(string stem = "Person") => $"{stem} {Guid.NewGuid():N}";

    /// <summary>The results of a batch in which no recordId conflicted; fails the test otherwise.</summary>
    public static Kontakt.Core.Ingest.RecordResult[] Stored(this Kontakt.Core.Ingest.WriteOutcome[] outcomes) =>
        outcomes.Select(o => o.Result ?? throw new Xunit.Sdk.XunitException("a record unexpectedly conflicted")).ToArray();
}
