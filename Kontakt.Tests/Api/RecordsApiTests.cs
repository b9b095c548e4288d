using System.Net;
using System.Text.Json;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Api;

public sealed class RecordsApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TestDatabase _database = fixture.Database;
    private readonly HttpClient _client = fixture.Client;

    private async Task<(long Records, long Patients, long Public)> CountsAsync() =>
        (await _database.CountAsync("phi.records"), await _database.CountAsync("phi.patients"), await _database.CountAsync("public_store.patients"));

    [Fact]
    public async Task A_201_record_is_immediately_readable_in_the_public_view()
    {
        var response = await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), color: "LightGoldenRodYellow", recordId: "api-1"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("api-1", body.GetProperty("recordId").GetString());
        Assert.True(body.GetProperty("newPatient").GetBoolean());
        Assert.True(body.TryGetProperty("receivedAt", out _));
        var patientId = body.GetProperty("patientId").GetString();

        var patient = await _client.GetAsync($"/v1/patients/{patientId}");
        Assert.Equal(HttpStatusCode.OK, patient.StatusCode);
        var view = await patient.JsonAsync();
        Assert.Equal(patientId, view.GetProperty("patientId").GetString());
        Assert.Equal("lightgoldenrodyellow", view.GetProperty("favoriteColor").GetString());
        // The public view carries exactly these fields: no name, no date of birth; asOf only on an asOf read.
        Assert.Equal(["patientId", "favoriteColor", "updatedAt", "asOf"], view.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, view.GetProperty("asOf").ValueKind);
    }

    [Fact]
    public async Task The_batch_answers_one_result_per_record_in_request_order()
    {
        var name = TestRecords.UniqueName();
        var batch = new[]
        {
            ApiJson.Record(name, color: "red", recordId: "b-1"),
            ApiJson.Record(TestRecords.UniqueName(), recordId: "b-2"),
            ApiJson.Record("  " + name.ToUpperInvariant() + " ", color: "blue", recordId: "b-3"),
        };
        var response = await _client.PostJsonTextAsync("/v1/records/batch", JsonSerializer.Serialize(batch));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var results = (await response.JsonAsync()).EnumerateArray().ToArray();
        Assert.Equal(["b-1", "b-2", "b-3"], results.Select(r => r.GetProperty("recordId").GetString()));
        Assert.Equal(results[0].GetProperty("patientId").GetString(), results[2].GetProperty("patientId").GetString());
        Assert.NotEqual(results[0].GetProperty("patientId").GetString(), results[1].GetProperty("patientId").GetString());
        Assert.Equal([true, true, false], results.Select(r => r.GetProperty("newPatient").GetBoolean()));

        var view = await (await _client.GetAsync($"/v1/patients/{results[0].GetProperty("patientId").GetString()}")).JsonAsync();
        Assert.Equal("blue", view.GetProperty("favoriteColor").GetString());
    }

    [Fact]
    public async Task Posting_the_same_record_again_answers_the_original_result()
    {
        var name = TestRecords.UniqueName();
        var first = await (await _client.PostRecordAsync(ApiJson.Record(name, recordId: "idem-1"))).JsonAsync();
        var before = await CountsAsync();
        var again = await _client.PostRecordAsync(ApiJson.Record(name, recordId: "idem-1"));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(first.ToString(), (await again.JsonAsync()).ToString());
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Reusing_a_record_id_for_another_person_is_409_and_reveals_no_patient_id()
    {
        var first = await (await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: "idem-2"))).JsonAsync();
        var before = await CountsAsync();
        var reuse = await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: "idem-2"));

        Assert.Equal(HttpStatusCode.Conflict, reuse.StatusCode);
        Assert.Equal("application/problem+json", reuse.Content.Headers.ContentType?.MediaType);
        var body = await reuse.Content.ReadAsStringAsync();
        Assert.DoesNotContain(first.GetProperty("patientId").GetString()!, body, StringComparison.Ordinal);
        Assert.Contains("idem-2", body, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"name":"","dob":"1980-01-01","favoriteColor":"red"}""", "name" },
        { """{"name":"A","dob":"1899-12-31","favoriteColor":"red"}""", "dob" },
        { """{"name":"A","dob":"1980-01-01","favoriteColor":"plaid"}""", "favoriteColor" },
        { """{"name":"A","dob":"1980-01-01","favoriteColor":"red","recordId":"no spaces"}""", "recordId" },
        { """{"nmae":"A","dob":"1980-01-01","favoriteColor":"red"}""", "nmae" },
        { """{"name":42,"dob":"1980-01-01","favoriteColor":"red"}""", "name" },
        { """{"name":"A","dob":19800101,"favoriteColor":"red"}""", "dob" },
        { """{"name":"A","name":"B","dob":"1980-01-01","favoriteColor":"red"}""", "name" },
        { "{\"name\":\"A\",\"dob\":\"1980-01-01\",\"favoriteColor\":\"red\"", "$" },
        { """not json""", "$" },
        { "", "$" },
        { "null", "$" },
        { "[]", "$" },
        { """{"name":{"first":"A"},"dob":"1980-01-01","favoriteColor":"red"}""", "name" },
        { """{"NAME":"A","dob":"1980-01-01","favoriteColor":"red"}""", "NAME" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_record_gets_a_400_problem_naming_the_field_and_nothing_is_stored(string json, string field)
    {
        var before = await CountsAsync();
        var response = await _client.PostJsonTextAsync("/v1/records", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var reasons), $"errors should name '{field}': {problem}");
        Assert.NotEmpty(reasons.EnumerateArray());
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task One_invalid_record_fails_the_whole_batch_naming_each_bad_item_and_storing_nothing()
    {
        var before = await CountsAsync();
        var batch = JsonSerializer.Serialize(new object[]
        {
            ApiJson.Record(TestRecords.UniqueName()),
            ApiJson.Record(TestRecords.UniqueName(), dob: "2999-01-01"),
            ApiJson.Record(TestRecords.UniqueName()),
            new { name = " ", dob = "1980-01-01", favoriteColor = "red" },
        });
        var response = await _client.PostJsonTextAsync("/v1/records/batch", batch);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(["[1].dob", "[3].name"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("[null]", "[0]")]
    [InlineData("""[{"name":"A","dob":"1980-01-01","favoriteColor":"red"},{"name":"B","dob":"1980-01-01","favoriteColor":"red","colour":"x"}]""", "[1].colour")]
    [InlineData("""{"name":"A","dob":"1980-01-01","favoriteColor":"red"}""", "$")]
    public async Task A_malformed_batch_names_the_item_and_stores_nothing(string json, string field)
    {
        var before = await CountsAsync();
        var response = await _client.PostJsonTextAsync("/v1/records/batch", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public async Task A_batch_must_hold_1_to_10000_records(int count)
    {
        var batch = JsonSerializer.Serialize(Enumerable.Range(0, count).Select(i => ApiJson.Record($"Batch Person {i}")));
        var response = await _client.PostJsonTextAsync("/v1/records/batch", batch);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("$", out _));
    }

    [Fact]
    public async Task A_batch_of_10000_records_is_stored()
    {
        var stem = Guid.NewGuid().ToString("N");
        var batch = JsonSerializer.Serialize(Enumerable.Range(0, 10_000).Select(i => ApiJson.Record($"Max {stem} {i}")));
        var response = await _client.PostJsonTextAsync("/v1/records/batch", batch);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(10_000, (await response.JsonAsync()).GetArrayLength());
        Assert.Equal(10_000, await _database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE name LIKE @p", ("p", $"Max {stem} %")));
    }

    [Fact]
    public async Task An_oversized_body_gets_413_and_nothing_is_stored()
    {
        var before = await CountsAsync();
        var huge = JsonSerializer.Serialize(ApiJson.Record(new string('x', 70_000)));
        var response = await _client.PostJsonTextAsync("/v1/records", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415()
    {
        var response = await _client.PostAsync("/v1/records", new StringContent("name=A", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Respond_async_answers_202_and_the_record_becomes_visible()
    {
        var recordId = "async-" + Guid.NewGuid().ToString("N");
        var response = await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), color: "teal", recordId: recordId), prefer: "respond-async");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("respond-async", response.Headers.GetValues("Preference-Applied").Single());
        Assert.Equal(recordId, (await response.JsonAsync()).GetProperty("recordId").GetString());

        await Eventually.TrueAsync(
            async () => await _database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = @id", ("id", recordId)) == 1,
            TimeSpan.FromSeconds(10), "the 202 record was not committed");
    }

    [Theory]
    [InlineData("not-a-uuid", HttpStatusCode.BadRequest)]
    [InlineData("00000000-0000-4000-8000-000000000000", HttpStatusCode.NotFound)]
    public async Task Unknown_or_malformed_patient_ids_get_a_problem(string patientId, HttpStatusCode status)
    {
        var response = await _client.GetAsync($"/v1/patients/{patientId}");
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_endpoints_report_live_and_ready()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/live")).StatusCode);
        var ready = await _client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", (await ready.JsonAsync()).GetProperty("status").GetString());
    }
}
