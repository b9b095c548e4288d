using Kontakt.Core.Records;

namespace Kontakt.Tests.Support;

/// <summary>Builds records for tests.</summary>
public static class TestRecords
{
    /// <summary>The client of records built here unless a test names another: the test ingest key's name (TestKeys).</summary>
    public const string Client = "test-ingest";

    private static readonly RecordValidator Validator = new(TimeProvider.System);

    public static ValidatedRecord Valid(string name, string dob = "1980-04-01", string? color = "green", string? recordId = null, string client = Client)
    {
        var errors = new List<FieldError>();
        var record = Validator.Validate(new RecordRequest { Name = name, Dob = dob, FavoriteColor = color, RecordId = recordId }, client, Validator.Now(), errors);
        return record ?? throw new InvalidOperationException(string.Join("; ", errors));
    }

    public static string UniqueName(string stem = "Person") => $"{stem} {Guid.NewGuid():N}";

    /// <summary>The results of a batch whose records were all stored or replayed; fails the test otherwise.</summary>
    public static RecordResult[] Stored(this RecordOutcome[] outcomes) => outcomes.Select(ResultOf).ToArray();

    /// <summary>The result of a stored or replayed record; fails the test for a conflict or a refusal.</summary>
    public static RecordResult ResultOf(this RecordOutcome outcome) => outcome switch
    {
        RecordOutcome.Stored stored => stored.Result,
        RecordOutcome.Replayed replayed => replayed.Result,
        _ => throw new Xunit.Sdk.XunitException($"a record was unexpectedly {outcome.GetType().Name}"),
    };
}
