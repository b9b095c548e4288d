using System.Net;
using System.Text.Json;
using Kontakt.Core.Security;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Api;

public sealed class RecordStatusTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TestDatabase _database = fixture.Database;
    private readonly HttpClient _client = fixture.Client;

    private async Task<JsonElement> StatusAsync(string recordId)
    {
        var response = await _client.GetAsync($"/v1/records/{recordId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private async Task<string?> StatusNameAsync(string recordId)
    {
        var response = await _client.GetAsync($"/v1/records/{recordId}");
        return response.StatusCode == HttpStatusCode.OK ? (await response.JsonAsync()).GetProperty("status").GetString() : null;
    }

    [Fact]
    public async Task A_201_record_is_committed_with_its_patient()
    {
        var recordId = $"st-{Guid.NewGuid():N}";
        var created = await (await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: recordId))).JsonAsync();

        var status = await StatusAsync(recordId);
        Assert.Equal(recordId, status.GetProperty("recordId").GetString());
        Assert.Equal("committed", status.GetProperty("status").GetString());
        Assert.Equal(created.GetProperty("patientId").GetString(), status.GetProperty("patientId").GetString());
        Assert.True(status.GetProperty("newPatient").GetBoolean());
        Assert.Equal(created.GetProperty("receivedAt").GetDateTimeOffset(), status.GetProperty("receivedAt").GetDateTimeOffset());
        Assert.True(status.GetProperty("committedAt").GetDateTimeOffset() >= status.GetProperty("receivedAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task A_202_record_is_queued_while_commits_stall_then_committed()
    {
        var recordId = $"st-{Guid.NewGuid():N}";
        var stall = await CommitStall.HoldAsync(_database.ConnectionString);
        try
        {
            var accepted = await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: recordId), prefer: "respond-async");
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            await stall.WaitForWritersAsync(1);

            var queued = await StatusAsync(recordId);
            Assert.Equal("queued", queued.GetProperty("status").GetString());
            Assert.True(queued.TryGetProperty("receivedAt", out _));
            Assert.Equal(JsonValueKind.Null, queued.GetProperty("patientId").ValueKind);
            Assert.Equal(JsonValueKind.Null, queued.GetProperty("committedAt").ValueKind);
        }
        finally
        {
            await stall.DisposeAsync();
        }

        await Eventually.TrueAsync(async () => await StatusNameAsync(recordId) == "committed",
            TimeSpan.FromSeconds(15), "the record never became committed after the stall ended");
    }

    [Fact]
    public async Task A_202_record_whose_id_was_stored_for_another_person_fails_as_a_conflict_and_is_dead_lettered()
    {
        var recordId = $"st-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Created, (await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: recordId))).StatusCode);
        var reuse = await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: recordId), prefer: "respond-async");
        Assert.Equal(HttpStatusCode.Accepted, reuse.StatusCode);

        await Eventually.TrueAsync(async () => await StatusNameAsync(recordId) == "failed",
            TimeSpan.FromSeconds(15), "the conflicting 202 record never reported failed");
        var status = await StatusAsync(recordId);
        var error = status.GetProperty("error");
        Assert.Equal("conflict", error.GetProperty("code").GetString());
        Assert.Equal("recordId", error.GetProperty("field").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("reason").GetString()));
        // No patient ID: answering with the stored record's would tell the caller whose it is.
        Assert.Equal(JsonValueKind.Null, status.GetProperty("patientId").ValueKind);
        Assert.Equal(1, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.dead_letters WHERE record_id = @id AND code = 'conflict' AND failed_at >= received_at", ("id", recordId)));
    }

    [Fact]
    public async Task An_unknown_record_id_is_404_problem()
    {
        var response = await _client.GetAsync($"/v1/records/never-seen-{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Another_role_may_not_read_a_record_status()
    {
        var recordId = $"st-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Created, (await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: recordId))).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/records/{recordId}");
        request.Headers.Add(RoleKeyHandler.Header, TestKeys.For(_database.ConnectionString)[KontaktRoles.Analyst]);
        var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
