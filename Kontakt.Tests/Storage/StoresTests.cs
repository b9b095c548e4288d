using Kontakt.Core.Records;
using Kontakt.Core.Storage;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Storage;

public sealed class StoresTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private async Task<RecordResult[]> WriteAsync(params ValidatedRecord[] records)
    {
        await using var writer = new PostgresBatchWriter(database.DataSource);
        return (await writer.WriteAsync(records, CancellationToken.None)).Stored();
    }

    private Task<List<(string Color, DateTimeOffset From, DateTimeOffset To)>> HistoryAsync(Guid patientId) =>
        database.ListAsync(
            "SELECT favorite_color, valid_from, valid_to FROM public_store.patient_history WHERE patient_id = @id ORDER BY valid_from",
            r => (r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.GetFieldValue<DateTimeOffset>(2)),
            ("id", patientId));

    private Task<string> CurrentColorAsync(Guid patientId) =>
        database.ScalarAsync<string>("SELECT favorite_color FROM public_store.patients WHERE patient_id = @id", ("id", patientId));

    [Fact]
    public async Task Every_accepted_record_gets_one_audit_row_with_the_name_as_received()
    {
        var name = "  " + TestRecords.UniqueName() + "  ";
        var records = new[] { TestRecords.Valid(name, color: "red"), TestRecords.Valid(name, color: "red"), TestRecords.Valid(name.Trim(), color: "blue") };
        var results = await WriteAsync(records);

        var rows = await database.ListAsync(
            "SELECT record_id, name, dob, favorite_color, received_at, committed_at FROM phi.records WHERE record_id = ANY(@ids) ORDER BY record_key",
            r => (Id: r.GetString(0), Name: r.GetString(1), Dob: r.GetFieldValue<DateOnly>(2), Color: r.GetString(3),
                  Received: r.GetFieldValue<DateTimeOffset>(4), Committed: r.GetFieldValue<DateTimeOffset>(5)),
            ("ids", records.Select(r => r.RecordId).ToArray()));

        Assert.Equal(records.Select(r => r.RecordId), rows.Select(r => r.Id));
        Assert.Equal([name, name, name.Trim()], rows.Select(r => r.Name));
        Assert.All(rows, r => Assert.Equal(new DateOnly(1980, 4, 1), r.Dob));
        Assert.Equal(["red", "red", "blue"], rows.Select(r => r.Color));
        Assert.Equal(records.Select(r => r.ReceivedAt), rows.Select(r => r.Received));
        Assert.Single(rows.Select(r => r.Committed).Distinct());
        Assert.Equal(results.Select(r => r.ReceivedAt), records.Select(r => r.ReceivedAt));
    }

    [Fact]
    public async Task A_record_at_every_length_bound_is_stored_whole()
    {
        // The staging tables keep a row within one page (no TOAST, BatchSql): the longest record the
        // validator lets through must still fit, with every field read back byte for byte.
        var expanding = string.Concat(Enumerable.Repeat("\ufdfa", 27)) + Guid.NewGuid().ToString("N")[..8];
        var name = new string(' ', 232) + expanding + new string(' ', 233);
        // The longest color in bytes: a short name padded with three-byte ideographic spaces.
        var color = new string('\u3000', 30) + "red" + new string('\u3000', RecordValidator.MaxColorLength - 33);
        var recordId = "bound-" + new string('x', RecordValidator.MaxRecordIdLength - 6 - 32) + Guid.NewGuid().ToString("N");
        // The longest client in bytes: a token subject of three-byte characters (KontaktClaims.ClientOf).
        var client = new string('\u3000', RecordClients.MaxLength - 32) + Guid.NewGuid().ToString("N");
        var record = TestRecords.Valid(name, color: color, recordId: recordId, client: client);
        Assert.Equal(RecordValidator.MaxNameLengthAsSent, name.EnumerateRunes().Count());

        var result = (await WriteAsync(record))[0];

        var stored = await database.ListAsync(
            "SELECT r.name, r.favorite_color, p.name_key, r.client FROM phi.records r JOIN phi.patients p USING (patient_key) WHERE r.record_id = @id",
            r => (Name: r.GetString(0), Color: r.GetString(1), Key: r.GetString(2), Client: r.GetString(3)),
            ("id", recordId));
        Assert.Equal((name, color, record.NameKey, client), Assert.Single(stored));
        Assert.True(result.NewPatient);
    }

    [Fact]
    public async Task The_writers_staging_tables_have_no_toast_table_to_empty_at_every_commit()
    {
        // The writer stays open: its temp tables live as long as its connection.
        await using var writer = new PostgresBatchWriter(database.DataSource);
        await writer.WriteAsync([TestRecords.Valid(TestRecords.UniqueName())], CancellationToken.None);

        // Temp tables are private to the writer's session, but their catalog rows are visible to all.
        var tables = await database.ListAsync(
            "SELECT relname, reltoastrelid::bigint FROM pg_class WHERE relpersistence = 't' AND relname IN ('kontakt_staging', 'kontakt_identity')",
            r => (Name: r.GetString(0), Toast: r.GetInt64(1)));
        Assert.Contains(tables, t => t.Name == "kontakt_staging");
        Assert.Contains(tables, t => t.Name == "kontakt_identity");
        Assert.All(tables, t => Assert.Equal(0, t.Toast));
    }

    [Fact]
    public async Task Posting_a_record_id_again_with_the_same_content_returns_the_original_result_and_stores_nothing_new()
    {
        var recordId = "retry-" + Guid.NewGuid().ToString("N");
        var name = TestRecords.UniqueName();
        var original = (await WriteAsync(TestRecords.Valid(name, color: "red", recordId: recordId)))[0];
        var counts = await CountsAsync();

        var retry = (await WriteAsync(TestRecords.Valid("  " + name.ToUpperInvariant(), color: "red", recordId: recordId)))[0];

        Assert.Equal(original, retry);
        Assert.Equal(counts, await CountsAsync());
    }

    [Fact]
    public async Task A_record_id_sent_again_or_twice_in_a_batch_is_replayed_not_stored_again()
    {
        var recordId = "replay-" + Guid.NewGuid().ToString("N");
        var name = TestRecords.UniqueName();
        await using var writer = new PostgresBatchWriter(database.DataSource);

        var first = await writer.WriteAsync([TestRecords.Valid(name, recordId: recordId), TestRecords.Valid(name, recordId: recordId)], CancellationToken.None);
        var again = Assert.Single(await writer.WriteAsync([TestRecords.Valid(name, recordId: recordId)], CancellationToken.None));

        var stored = Assert.IsType<RecordOutcome.Stored>(first[0]);
        Assert.Equal(stored.Result, Assert.IsType<RecordOutcome.Replayed>(first[1]).Result);
        Assert.Equal(stored.Result, Assert.IsType<RecordOutcome.Replayed>(again).Result);
    }

    [Fact]
    public async Task Reusing_a_record_id_for_another_person_is_a_conflict_that_stores_nothing_and_reveals_no_patient_id()
    {
        var recordId = "reuse-" + Guid.NewGuid().ToString("N");
        await WriteAsync(TestRecords.Valid(TestRecords.UniqueName(), color: "red", recordId: recordId));
        var counts = await CountsAsync();

        await using var writer = new PostgresBatchWriter(database.DataSource);
        var outcomes = await writer.WriteAsync(
            [TestRecords.Valid(TestRecords.UniqueName(), color: "red", recordId: recordId), TestRecords.Valid(TestRecords.UniqueName(), color: "blue")],
            CancellationToken.None);

        Assert.IsType<RecordOutcome.Conflict>(outcomes[0]);
        Assert.IsType<RecordOutcome.Stored>(outcomes[1]);
        // Only the innocent record was added: no patient was left behind for the conflicting one.
        Assert.Equal((counts.Records + 1, counts.Patients + 1), await CountsAsync());
    }

    [Fact]
    public async Task Reusing_a_record_id_for_another_color_is_a_conflict()
    {
        var recordId = "recolor-" + Guid.NewGuid().ToString("N");
        var name = TestRecords.UniqueName();
        var original = (await WriteAsync(TestRecords.Valid(name, color: "red", recordId: recordId)))[0];
        await using var writer = new PostgresBatchWriter(database.DataSource);
        var outcome = Assert.Single(await writer.WriteAsync([TestRecords.Valid(name, color: "blue", recordId: recordId)], CancellationToken.None));
        Assert.IsType<RecordOutcome.Conflict>(outcome);
        Assert.Equal("red", await CurrentColorAsync(original.PatientId));
    }

    [Fact]
    public async Task A_record_id_twice_in_one_batch_is_stored_once_and_both_get_the_same_answer()
    {
        var recordId = "dup-" + Guid.NewGuid().ToString("N");
        var name = TestRecords.UniqueName();
        var results = await WriteAsync(TestRecords.Valid(name, color: "red", recordId: recordId), TestRecords.Valid(name, color: "red", recordId: recordId));
        Assert.Equal(results[0], results[1]);
        Assert.True(results[0].NewPatient);
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = @id", ("id", recordId)));
    }

    [Fact]
    public async Task A_record_id_reused_for_another_person_within_one_batch_conflicts_and_leaves_no_orphan()
    {
        var recordId = "inbatch-" + Guid.NewGuid().ToString("N");
        var counts = await CountsAsync();
        await using var writer = new PostgresBatchWriter(database.DataSource);
        var outcomes = await writer.WriteAsync(
            [TestRecords.Valid(TestRecords.UniqueName(), recordId: recordId), TestRecords.Valid(TestRecords.UniqueName("Other"), recordId: recordId)],
            CancellationToken.None);

        Assert.IsType<RecordOutcome.Stored>(outcomes[0]);
        Assert.IsType<RecordOutcome.Conflict>(outcomes[1]);
        Assert.Equal((counts.Records + 1, counts.Patients + 1), await CountsAsync());
    }

    [Fact]
    public async Task Two_writers_racing_with_one_record_id_for_two_people_store_one_and_leave_no_orphan()
    {
        var recordId = "race-" + Guid.NewGuid().ToString("N");
        var stranger = TestRecords.UniqueName("Stranger");
        await using var stall = await CommitStall.HoldAsync(database.ConnectionString);
        await using var first = new PostgresBatchWriter(database.DataSource);
        await using var second = new PostgresBatchWriter(database.DataSource);
        // Both create their person before either can take the commit lock.
        var a = first.WriteAsync([TestRecords.Valid(TestRecords.UniqueName(), recordId: recordId)], CancellationToken.None);
        var b = second.WriteAsync([TestRecords.Valid(stranger, recordId: recordId)], CancellationToken.None);
        await stall.WaitForWritersAsync(2);
        await stall.DisposeAsync();
        var outcomes = new[] { (await a)[0], (await b)[0] };

        Assert.Equal(1, outcomes.Count(o => o is RecordOutcome.Conflict));
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = @id", ("id", recordId)));
        Assert.Equal(0, await database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.patients p WHERE NOT EXISTS (SELECT 1 FROM phi.records r WHERE r.patient_key = p.patient_key)"));
        Assert.Equal(await database.CountAsync("phi.patients"), await database.CountAsync("public_store.patients"));
    }

    private async Task<(long Records, long Patients)> CountsAsync() =>
        (await database.CountAsync("phi.records"), await database.CountAsync("phi.patients"));

    [Fact]
    public async Task A_color_change_closes_the_old_version_into_history_in_the_same_transaction()
    {
        var name = TestRecords.UniqueName();
        var first = (await WriteAsync(TestRecords.Valid(name, color: "red")))[0];
        var firstFrom = await database.ScalarAsync<DateTimeOffset>("SELECT valid_from FROM public_store.patients WHERE patient_id = @id", ("id", first.PatientId));
        Assert.Empty(await HistoryAsync(first.PatientId));

        await WriteAsync(TestRecords.Valid(name, color: "blue"));
        var secondFrom = await database.ScalarAsync<DateTimeOffset>("SELECT valid_from FROM public_store.patients WHERE patient_id = @id", ("id", first.PatientId));

        var history = Assert.Single(await HistoryAsync(first.PatientId));
        Assert.Equal(("red", firstFrom, secondFrom), history);
        Assert.Equal("blue", await CurrentColorAsync(first.PatientId));
        Assert.True(secondFrom > firstFrom);
    }

    [Fact]
    public async Task The_same_color_again_adds_no_history()
    {
        var name = TestRecords.UniqueName();
        var first = (await WriteAsync(TestRecords.Valid(name, color: "red")))[0];
        await WriteAsync(TestRecords.Valid(name, color: "red"));
        await WriteAsync(TestRecords.Valid(name.ToLowerInvariant(), color: "red"));
        Assert.Empty(await HistoryAsync(first.PatientId));
    }

    [Fact]
    public async Task Within_one_batch_the_last_record_of_a_patient_sets_the_public_color()
    {
        var name = TestRecords.UniqueName();
        var existing = (await WriteAsync(TestRecords.Valid(name, color: "red")))[0];
        await WriteAsync(TestRecords.Valid(name, color: "blue"), TestRecords.Valid(name, color: "green"), TestRecords.Valid(name, color: "yellow"));

        Assert.Equal("yellow", await CurrentColorAsync(existing.PatientId));
        // The public store changes once per commit: red is closed, the passing colors were never current.
        Assert.Equal(["red"], (await HistoryAsync(existing.PatientId)).Select(h => h.Color));
        Assert.Equal(4, await database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.records r JOIN phi.patients p USING (patient_key) WHERE p.patient_id = @id", ("id", existing.PatientId)));
    }

    [Fact]
    public async Task Commit_stamps_increase_from_batch_to_batch()
    {
        var stamps = new List<DateTimeOffset>();
        for (var i = 0; i < 5; i++)
        {
            var record = TestRecords.Valid(TestRecords.UniqueName());
            await WriteAsync(record);
            stamps.Add(await database.ScalarAsync<DateTimeOffset>("SELECT committed_at FROM phi.records WHERE record_id = @id", ("id", record.RecordId)));
        }
        Assert.Equal(stamps.Order(), stamps);
        Assert.Equal(stamps.Count, stamps.Distinct().Count());
    }

    [Fact]
    public async Task The_public_schema_has_no_phi_column()
    {
        var columns = await database.ListAsync(
            "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public_store' ORDER BY 1",
            r => r.GetString(0));
        Assert.Equal(
            ["commit_log.committed_at", "patient_history.favorite_color", "patient_history.patient_id",
             "patient_history.valid_from", "patient_history.valid_to", "patients.favorite_color", "patients.patient_id", "patients.valid_from"],
            columns);
        Assert.DoesNotContain(columns, c => c.Contains("name", StringComparison.Ordinal) || c.Contains("dob", StringComparison.Ordinal)
            || c.Contains("record", StringComparison.Ordinal) || c.Contains("key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Phi_lives_only_in_the_phi_schema()
    {
        var phiColumns = await database.ListAsync(
            "SELECT table_schema || '.' || table_name || '.' || column_name FROM information_schema.columns " +
            "WHERE column_name IN ('name', 'name_key', 'dob') AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
            r => r.GetString(0));
        Assert.Equal(["phi.patients.dob", "phi.patients.name_key", "phi.records.dob", "phi.records.name"], phiColumns);
    }
}
