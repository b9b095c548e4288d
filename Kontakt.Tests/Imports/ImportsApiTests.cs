using System.Net;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Imports;

/// <summary>Import jobs end to end: upload, the runner in the same process, the stored records and the error report.</summary>
public sealed class ImportsApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TestDatabase _database = fixture.Database;
    private readonly HttpClient _client = fixture.Client;

    private async Task<string?> StoredNameAsync(string recordId) =>
        (await _database.ListAsync("SELECT name FROM phi.records WHERE record_id = @id", reader => reader.GetString(0), ("id", recordId))).SingleOrDefault();

    private Task<long> StoredCountAsync(string prefix) =>
        _database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id LIKE @prefix", ("prefix", prefix + "%"));

    [Fact]
    public async Task Csv_columns_may_come_in_any_order_and_each_row_is_stored_under_its_recordId()
    {
        var tag = Guid.NewGuid().ToString("N");
        var (ada, grace) = (TestRecords.UniqueName("Ada"), TestRecords.UniqueName("Grace"));
        var csv = $"recordId,dob,favoriteColor,name\n{tag}-1,1935-12-10,sky blue,{ada}\n{tag}-2,1946-12-09,,{grace}\n";
        var jobId = await _client.StartImportAsync(csv);

        var job = await _client.FinishedJobAsync(jobId);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal("", (await _client.ErrorReportAsync(jobId)).Text);
        Assert.Equal((2, 2, 0), (job.GetProperty("received").GetInt64(), job.GetProperty("stored").GetInt64(), job.GetProperty("rejected").GetInt64()));
        Assert.Equal($"/v1/imports/{jobId}/errors", job.GetProperty("errors").GetString());
        Assert.NotNull(job.GetProperty("startedAt").GetString());
        Assert.NotNull(job.GetProperty("finishedAt").GetString());
        Assert.Equal(ada, await StoredNameAsync($"{tag}-1"));
        Assert.Equal(grace, await StoredNameAsync($"{tag}-2"));
        Assert.Equal("sky blue", await _database.ScalarAsync<string?>("SELECT favorite_color FROM phi.records WHERE record_id = @id", ("id", $"{tag}-1")));
        Assert.True(await _database.ScalarAsync<bool>("SELECT favorite_color IS NULL FROM phi.records WHERE record_id = @id", ("id", $"{tag}-2")));
        // The lines are the uploading key's records: its recordIds are scoped like those it sends to /v1/records.
        Assert.Equal(2, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.records WHERE record_id LIKE @prefix AND client = @client", ("prefix", tag + "-%"), ("client", TestRecords.Client)));
        // The job's file is deleted once the job has ended.
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM phi.import_chunks WHERE job_id = @id", ("id", Guid.Parse(jobId))));
    }

    [Fact]
    public async Task A_row_without_recordId_gets_one_derived_from_the_job_and_its_line()
    {
        var name = TestRecords.UniqueName();
        var jobId = await _client.StartImportAsync($"name,dob\n{name},1970-01-01\n");
        await _client.FinishedJobAsync(jobId);
        Assert.Equal(name, await StoredNameAsync(ImportRequests.DerivedRecordId(jobId, 2)));
    }

    [Fact]
    public async Task An_unknown_column_is_a_400_naming_its_position_and_not_its_text_and_nothing_is_stored()
    {
        var jobsBefore = await _database.CountAsync("phi.import_jobs");
        using var response = await _client.PostImportAsync("name,dob,Secretcolumnname\nAda Lovelace,1935-12-10,x\n");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("column 3", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Secretcolumnname", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Lovelace", body, StringComparison.Ordinal);
        Assert.Equal(jobsBefore, await _database.CountAsync("phi.import_jobs"));
    }

    [Fact]
    public async Task Unknown_columns_are_skipped_when_the_client_asks_to_ignore_them()
    {
        var tag = Guid.NewGuid().ToString("N");
        var name = TestRecords.UniqueName();
        var jobId = await _client.StartImportAsync($"ward,name,dob,recordId,bed\n7,{name},1970-01-01,{tag},12\n", query: "?ignoreUnknownColumns=true");
        var job = await _client.FinishedJobAsync(jobId);
        Assert.Equal(1, job.GetProperty("stored").GetInt64());
        Assert.Equal(name, await StoredNameAsync(tag));
    }

    [Fact]
    public async Task A_header_without_name_or_dob_is_a_400()
    {
        using var response = await _client.PostImportAsync("name,favoriteColor\nAda,red\n");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no dob column", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rfc4180_quoting_keeps_commas_quotes_and_line_breaks_inside_fields_and_lines_count_physical_lines()
    {
        var tag = Guid.NewGuid().ToString("N");
        var stem = Guid.NewGuid().ToString("N");
        var csv =
            "name,dob,recordId\r\n" +
            $"\"Lovelace, Ada {stem}\",1935-12-10,{tag}-comma\r\n" +
            $"\"Ada \"\"the Countess\"\" {stem}\",1935-12-10,{tag}-quote\r\n" +
            $"\"Ada\nLovelace {stem}\",1935-12-10,{tag}-newline\r\n" +
            $"Ada {stem},not-a-date,{tag}-bad\r\n";
        var jobId = await _client.StartImportAsync(csv);
        var job = await _client.FinishedJobAsync(jobId);

        Assert.Equal($"Lovelace, Ada {stem}", await StoredNameAsync($"{tag}-comma"));
        Assert.Equal($"Ada \"the Countess\" {stem}", await StoredNameAsync($"{tag}-quote"));
        // A line break is a control character: the validator refuses it like on /v1/records.
        Assert.Null(await StoredNameAsync($"{tag}-newline"));
        Assert.Equal((4, 2, 2), (job.GetProperty("received").GetInt64(), job.GetProperty("stored").GetInt64(), job.GetProperty("rejected").GetInt64()));
        var (_, errors) = await _client.ErrorReportAsync(jobId);
        // The quoted line break spans lines 4 and 5, so the bad date is on line 6.
        Assert.Equal([(4L, "name"), (6L, "dob")], errors.Select(ImportRequests.Entry));
    }

    [Fact]
    public async Task Malformed_csv_rows_are_rejected_with_their_line_and_the_rest_is_stored()
    {
        var tag = Guid.NewGuid().ToString("N");
        var csv = "name,dob,recordId\n" +
            $"Ok {tag},1970-01-01,{tag}-1\n" +
            $"Too,many,fields,{tag}\n" +
            $"Bad \"quote {tag},1970-01-01,{tag}-3\n" +
            $"\"Unclosed {tag},1970-01-01,{tag}-4\n";
        var jobId = await _client.StartImportAsync(csv);
        var job = await _client.FinishedJobAsync(jobId);
        Assert.Equal((4, 1, 3), (job.GetProperty("received").GetInt64(), job.GetProperty("stored").GetInt64(), job.GetProperty("rejected").GetInt64()));
        var (text, errors) = await _client.ErrorReportAsync(jobId);
        Assert.Equal([(3L, "$"), (4L, "$"), (5L, "$")], errors.Select(ImportRequests.Entry));
        Assert.DoesNotContain(tag, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ndjson_lines_are_stored_and_bad_lines_are_reported_by_line_and_field_without_values()
    {
        var tag = Guid.NewGuid().ToString("N");
        var secret = "Secretname" + Guid.NewGuid().ToString("N");
        var ndjson =
            $"{{\"name\":\"{TestRecords.UniqueName()}\",\"dob\":\"1970-01-01\",\"recordId\":\"{tag}-1\"}}\n" +
            "\n" +
            $"{{\"name\":\"{secret}\",\"dob\":\"1913-02-30\"}}\n" +
            $"{{\"name\":\"{secret}\",\"dob\":\"1970-01-01\",\"nickname\":\"{secret}\"}}\n" +
            $"{{\"name\":\"{secret}\", broken\n" +
            $"{{\"name\":\"{TestRecords.UniqueName()}\",\"dob\":\"1970-01-01\",\"favoriteColor\":\"not-a-color-{secret}\"}}\n" +
            $"{{\"name\":\"{TestRecords.UniqueName()}\",\"dob\":\"1970-01-01\"}}";
        var jobId = await _client.StartImportAsync(ndjson, ImportRequests.Ndjson);
        var job = await _client.FinishedJobAsync(jobId);

        Assert.Equal((6, 2, 4), (job.GetProperty("received").GetInt64(), job.GetProperty("stored").GetInt64(), job.GetProperty("rejected").GetInt64()));
        Assert.NotNull(await StoredNameAsync($"{tag}-1"));
        Assert.NotNull(await StoredNameAsync(ImportRequests.DerivedRecordId(jobId, 7)));
        var (text, errors) = await _client.ErrorReportAsync(jobId);
        Assert.Equal([(3L, "dob"), (4L, "nickname"), (5L, "$"), (6L, "favoriteColor")], errors.Select(ImportRequests.Entry));
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("reason").GetString())));
        Assert.DoesNotContain("Secretname", text, StringComparison.Ordinal);
        Assert.DoesNotContain("1913-02-30", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recordId_already_stored_for_someone_else_is_rejected_at_commit_with_its_line()
    {
        var tag = Guid.NewGuid().ToString("N");
        using (var first = await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: tag)))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }
        var jobId = await _client.StartImportAsync($"name,dob,recordId\n{TestRecords.UniqueName()},1970-01-01,{tag}\n");
        var job = await _client.FinishedJobAsync(jobId);
        Assert.Equal((1, 0, 1), (job.GetProperty("received").GetInt64(), job.GetProperty("stored").GetInt64(), job.GetProperty("rejected").GetInt64()));
        var (_, errors) = await _client.ErrorReportAsync(jobId);
        Assert.Equal([(2L, "recordId")], errors.Select(ImportRequests.Entry));
    }

    [Fact]
    public async Task The_same_file_again_answers_200_with_the_existing_job_unless_forced()
    {
        var csv = $"name,dob\n{TestRecords.UniqueName()},1970-01-01\n";
        var jobId = await _client.StartImportAsync(csv);
        await _client.FinishedJobAsync(jobId);

        using var again = await _client.PostImportAsync(csv);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal($"/v1/imports/{jobId}", again.Headers.Location?.OriginalString);
        Assert.Equal(jobId, (await again.JsonAsync()).GetProperty("jobId").GetString());
        Assert.Equal(1, await _database.ScalarAsync<long>("SELECT count(*) FROM phi.import_jobs WHERE job_id = @id", ("id", Guid.Parse(jobId))));

        var forcedId = await _client.StartImportAsync(csv, query: "?force=true");
        Assert.NotEqual(jobId, forcedId);
        var forced = await _client.FinishedJobAsync(forcedId);
        Assert.Equal(1, forced.GetProperty("stored").GetInt64());
    }

    [Fact]
    public async Task An_empty_file_is_a_400_and_a_header_alone_completes_with_nothing()
    {
        using (var empty = await _client.PostImportAsync(""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        }
        using (var emptyNdjson = await _client.PostImportAsync("", ImportRequests.Ndjson))
        {
            Assert.Equal(HttpStatusCode.BadRequest, emptyNdjson.StatusCode);
        }
        var jobId = await _client.StartImportAsync($"name,dob,recordId\n", query: $"?force=true&ignoreUnknownColumns=false");
        var job = await _client.FinishedJobAsync(jobId);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(0, job.GetProperty("received").GetInt64());
    }

    [Fact]
    public async Task Another_media_type_is_a_415_and_a_bad_flag_a_400_naming_it()
    {
        using (var json = await _client.PostImportAsync("[]", "application/json"))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        }
        using var flag = await _client.PostImportAsync("name,dob\n", query: "?force=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, flag.StatusCode);
        Assert.Contains("force", await flag.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_job_is_a_404()
    {
        using var missing = await _client.GetAsync(new Uri($"/v1/imports/{Guid.NewGuid()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var malformed = await _client.GetAsync(new Uri("/v1/imports/not-a-job/errors", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
    }

    [Fact]
    public async Task A_completed_job_cannot_be_cancelled()
    {
        var jobId = await _client.StartImportAsync($"name,dob\n{TestRecords.UniqueName()},1970-01-01\n");
        await _client.FinishedJobAsync(jobId);
        using var cancel = await _client.DeleteAsync(new Uri($"/v1/imports/{jobId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
    }

    [Fact]
    public async Task Several_thousand_lines_pass_through_several_steps_and_each_is_stored_once()
    {
        var lines = 12_345;
        var csv = new System.Text.StringBuilder("dob,name\n");
        var stem = Guid.NewGuid().ToString("N");
        for (var i = 0; i < lines; i++)
        {
            csv.Append("1970-01-01,Bulk ").Append(stem).Append(' ').Append(i).Append('\n');
        }
        var jobId = await _client.StartImportAsync(csv.ToString());
        var job = await _client.FinishedJobAsync(jobId);
        Assert.Equal((lines, lines, 0), (job.GetProperty("received").GetInt64(), job.GetProperty("stored").GetInt64(), job.GetProperty("rejected").GetInt64()));
        Assert.Equal(lines, await StoredCountAsync($"import-{Guid.Parse(jobId):N}-"));
    }
}
