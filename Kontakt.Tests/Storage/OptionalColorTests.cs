using Kontakt.Core.Records;
using Kontakt.Core.Storage;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Storage;

/// <summary>favoriteColor is optional: what a record without one does to each store.</summary>
public sealed class OptionalColorTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private async Task<RecordOutcome[]> WriteOutcomesAsync(params ValidatedRecord[] records)
    {
        await using var writer = new PostgresBatchWriter(database.DataSource);
        return await writer.WriteAsync(records, CancellationToken.None);
    }

    private async Task<RecordResult[]> WriteAsync(params ValidatedRecord[] records) => (await WriteOutcomesAsync(records)).Stored();

    private async Task<(bool Exists, string? Color)> CurrentColorAsync(Guid patientId)
    {
        var rows = await database.ListAsync(
            "SELECT favorite_color FROM public_store.patients WHERE patient_id = @id",
            r => r.IsDBNull(0) ? null : r.GetString(0),
            ("id", patientId));
        return rows.Count == 0 ? (false, null) : (true, rows[0]);
    }

    private Task<List<string?>> HistoryColorsAsync(Guid patientId) =>
        database.ListAsync(
            "SELECT favorite_color FROM public_store.patient_history WHERE patient_id = @id ORDER BY valid_from",
            r => r.IsDBNull(0) ? null : r.GetString(0),
            ("id", patientId));

    private Task<List<string?>> AuditColorsAsync(Guid patientId) =>
        database.ListAsync(
            "SELECT r.favorite_color FROM phi.records r JOIN phi.patients p USING (patient_key) WHERE p.patient_id = @id ORDER BY r.record_key",
            r => r.IsDBNull(0) ? null : r.GetString(0),
            ("id", patientId));

    [Fact]
    public async Task A_new_patient_without_a_color_is_resolved_audited_and_public_with_a_null_color()
    {
        var name = TestRecords.UniqueName();
        var result = (await WriteAsync(TestRecords.Valid(name, color: null)))[0];

        Assert.True(result.NewPatient);
        Assert.Equal((true, null), await CurrentColorAsync(result.PatientId));
        Assert.Equal([null], await AuditColorsAsync(result.PatientId));
        Assert.Empty(await HistoryColorsAsync(result.PatientId));
        Assert.Equal(result.PatientId, (await WriteAsync(TestRecords.Valid(name.ToUpperInvariant(), color: null)))[0].PatientId);
    }

    [Fact]
    public async Task A_returning_patient_without_a_color_keeps_the_current_color_and_gets_no_new_version()
    {
        var name = TestRecords.UniqueName();
        var first = (await WriteAsync(TestRecords.Valid(name, color: "red")))[0];
        var validFrom = await database.ScalarAsync<DateTimeOffset>("SELECT valid_from FROM public_store.patients WHERE patient_id = @id", ("id", first.PatientId));

        var again = (await WriteAsync(TestRecords.Valid(name, color: null)))[0];

        Assert.Equal(first.PatientId, again.PatientId);
        Assert.False(again.NewPatient);
        Assert.Equal((true, "red"), await CurrentColorAsync(first.PatientId));
        Assert.Equal(validFrom, await database.ScalarAsync<DateTimeOffset>("SELECT valid_from FROM public_store.patients WHERE patient_id = @id", ("id", first.PatientId)));
        Assert.Empty(await HistoryColorsAsync(first.PatientId));
        Assert.Equal(["red", null], await AuditColorsAsync(first.PatientId));
    }

    [Fact]
    public async Task Within_one_batch_the_last_record_with_a_color_sets_the_public_color()
    {
        var known = TestRecords.UniqueName();
        var existing = (await WriteAsync(TestRecords.Valid(known, color: "red")))[0];
        var fresh = TestRecords.UniqueName("Fresh");

        var results = await WriteAsync(
            TestRecords.Valid(known, color: "blue"), TestRecords.Valid(known, color: null),
            TestRecords.Valid(fresh, color: null), TestRecords.Valid(fresh, color: "Mint  Green"), TestRecords.Valid(fresh, color: null));

        Assert.Equal((true, "blue"), await CurrentColorAsync(existing.PatientId));
        Assert.Equal(["red"], await HistoryColorsAsync(existing.PatientId));
        Assert.Equal((true, "mint green"), await CurrentColorAsync(results[2].PatientId));
        Assert.Empty(await HistoryColorsAsync(results[2].PatientId));
        Assert.Equal([null, "Mint  Green", null], await AuditColorsAsync(results[2].PatientId));
    }

    [Fact]
    public async Task A_first_color_closes_the_colorless_version_into_history()
    {
        var name = TestRecords.UniqueName();
        var first = (await WriteAsync(TestRecords.Valid(name, color: null)))[0];
        await WriteAsync(TestRecords.Valid(name, color: "#ABC"));

        Assert.Equal((true, "#abc"), await CurrentColorAsync(first.PatientId));
        Assert.Equal([null], await HistoryColorsAsync(first.PatientId));
    }

    [Fact]
    public async Task The_audit_store_keeps_the_color_as_sent_and_the_public_store_its_canonical_form()
    {
        var result = (await WriteAsync(TestRecords.Valid(TestRecords.UniqueName(), color: "  Sky   BLUE ")))[0];
        Assert.Equal((true, "sky blue"), await CurrentColorAsync(result.PatientId));
        Assert.Equal(["  Sky   BLUE "], await AuditColorsAsync(result.PatientId));
    }

    [Fact]
    public async Task Sending_a_record_id_again_compares_a_missing_color_like_any_other_value()
    {
        var name = TestRecords.UniqueName();
        var withoutId = "nocolor-" + Guid.NewGuid().ToString("N");
        var withId = "color-" + Guid.NewGuid().ToString("N");
        var original = (await WriteAsync(TestRecords.Valid(name, color: null, recordId: withoutId), TestRecords.Valid(name, color: "red", recordId: withId)))[0];
        var records = await database.CountAsync("phi.records");

        var outcomes = await WriteOutcomesAsync(
            TestRecords.Valid(name, color: null, recordId: withoutId),
            TestRecords.Valid(name, color: "red", recordId: withoutId),
            TestRecords.Valid(name, color: null, recordId: withId));

        Assert.Equal(original, Assert.IsType<RecordOutcome.Replayed>(outcomes[0]).Result);
        Assert.IsType<RecordOutcome.Conflict>(outcomes[1]);
        Assert.IsType<RecordOutcome.Conflict>(outcomes[2]);
        Assert.Equal(records, await database.CountAsync("phi.records"));
    }

    [Fact]
    public async Task A_record_id_repeated_within_one_batch_with_and_without_a_color_conflicts()
    {
        var name = TestRecords.UniqueName();
        var recordId = "inbatch-color-" + Guid.NewGuid().ToString("N");
        var outcomes = await WriteOutcomesAsync(
            TestRecords.Valid(name, color: null, recordId: recordId),
            TestRecords.Valid(name, color: null, recordId: recordId),
            TestRecords.Valid(name, color: "red", recordId: recordId));

        var stored = Assert.IsType<RecordOutcome.Stored>(outcomes[0]).Result;
        Assert.Equal(stored, Assert.IsType<RecordOutcome.Replayed>(outcomes[1]).Result);
        Assert.IsType<RecordOutcome.Conflict>(outcomes[2]);
    }
}
