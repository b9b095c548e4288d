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

    private async Task<string?> StatusNameAsync(string recordId, string? key = null)
    {
        var response = key is null ? await _client.GetAsync($"/v1/records/{recordId}") : await _client.GetAsKeyAsync($"/v1/records/{recordId}", key);
        return response.StatusCode == HttpStatusCode.OK ? (await response.JsonAsync()).GetProperty("status").GetString() : null;
    }

    /// <summary>A new ingest key: another client, whose recordIds are its own.</summary>
    private async Task<(string Name, string Key)> NewIngestKeyAsync()
    {
        var name = "scope-" + Guid.NewGuid().ToString("N")[..12];
        return (name, (await new ApiKeyStore(_database.DataSource).CreateAsync(name, KontaktRoles.Ingest, CancellationToken.None)).Key);
    }

    private static async Task<string?> PatientIdAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("patientId").GetString();
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
        var other = await NewIngestKeyAsync();
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
            // Queued in this process, but not the other client's record: as unknown to it as one never sent.
            using var othersView = await _client.GetAsKeyAsync($"/v1/records/{recordId}", other.Key);
            Assert.Equal(HttpStatusCode.NotFound, othersView.StatusCode);
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
            "SELECT count(*) FROM phi.dead_letters WHERE client = @client AND record_id = @id AND code = 'conflict' AND failed_at >= received_at",
            ("client", TestRecords.Client), ("id", recordId)));

        // The dead letter is this client's alone: another client's same recordId is unknown, then its own record.
        var other = await NewIngestKeyAsync();
        Assert.Null(await StatusNameAsync(recordId, other.Key));
        var othersRecord = await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: recordId), prefer: "respond-async", key: other.Key);
        Assert.Equal(HttpStatusCode.Accepted, othersRecord.StatusCode);
        await Eventually.TrueAsync(async () => await StatusNameAsync(recordId, other.Key) == "committed",
            TimeSpan.FromSeconds(15), "the other client's record with the same recordId never became committed");
        Assert.Equal("failed", await StatusNameAsync(recordId));
        Assert.Equal(0, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.dead_letters WHERE client = @client AND record_id = @id", ("client", other.Name), ("id", recordId)));
    }

    [Fact]
    public async Task Two_clients_store_one_record_id_for_two_people_and_each_reads_only_its_own()
    {
        var recordId = $"shared-{Guid.NewGuid():N}";
        var second = await NewIngestKeyAsync();
        var third = await NewIngestKeyAsync();

        using var mine = await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: recordId));
        using var theirs = await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: recordId), key: second.Key);

        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        var myRecord = await mine.JsonAsync();
        var theirRecord = await theirs.JsonAsync();
        var myPatient = myRecord.GetProperty("patientId").GetString();
        var theirPatient = theirRecord.GetProperty("patientId").GetString();
        Assert.NotEqual(myPatient, theirPatient);
        Assert.True(myRecord.GetProperty("newPatient").GetBoolean());
        Assert.True(theirRecord.GetProperty("newPatient").GetBoolean());

        Assert.Equal(myPatient, await PatientIdAsync(await _client.GetAsync($"/v1/records/{recordId}")));
        Assert.Equal(theirPatient, await PatientIdAsync(await _client.GetAsKeyAsync($"/v1/records/{recordId}", second.Key)));

        // A third client learns nothing: the answer is the one for a recordId nobody ever sent.
        using var thirdsView = await _client.GetAsKeyAsync($"/v1/records/{recordId}", third.Key);
        using var neverSent = await _client.GetAsKeyAsync($"/v1/records/never-sent-{Guid.NewGuid():N}", third.Key);
        Assert.Equal(HttpStatusCode.NotFound, thirdsView.StatusCode);
        var body = await thirdsView.JsonAsync();
        var unknown = await neverSent.JsonAsync();
        Assert.Equal(unknown.GetProperty("title").GetString(), body.GetProperty("title").GetString());
        Assert.Equal(unknown.GetProperty("detail").GetString(), body.GetProperty("detail").GetString());
        Assert.DoesNotContain(myPatient!, body.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(theirPatient!, body.ToString(), StringComparison.Ordinal);

        Assert.Equal(new[] { second.Name, TestRecords.Client }, await _database.ListAsync(
            "SELECT client FROM phi.records WHERE record_id = @id ORDER BY client", r => r.GetString(0), ("id", recordId)));
    }

    [Fact]
    public async Task Within_one_client_a_retry_replays_and_a_reuse_conflicts_whatever_other_clients_stored()
    {
        var recordId = $"shared-{Guid.NewGuid():N}";
        var second = await NewIngestKeyAsync();
        var myPerson = ApiJson.Record(TestRecords.UniqueName(), recordId: recordId);
        var theirPerson = ApiJson.Record(TestRecords.UniqueName(), recordId: recordId);
        using var first = await _client.PostRecordAsync(myPerson);
        using var theirs = await _client.PostRecordAsync(theirPerson, key: second.Key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);

        using var retry = await _client.PostRecordAsync(myPerson);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal((await first.JsonAsync()).ToString(), (await retry.JsonAsync()).ToString());
        using var theirRetry = await _client.PostRecordAsync(theirPerson, key: second.Key);
        Assert.Equal((await theirs.JsonAsync()).ToString(), (await theirRetry.JsonAsync()).ToString());

        // Each client's recordId holds its own person: the other client's person under it is a reuse.
        using var myReuse = await _client.PostRecordAsync(theirPerson);
        using var theirReuse = await _client.PostRecordAsync(myPerson, key: second.Key);
        Assert.Equal(HttpStatusCode.Conflict, myReuse.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, theirReuse.StatusCode);
        Assert.Equal(2, await _database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = @id", ("id", recordId)));
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
