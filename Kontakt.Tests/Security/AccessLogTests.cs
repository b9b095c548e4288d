using System.Net;
using System.Text.Json;
using Kontakt.Api.Security;
using Kontakt.Core.Security;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Security;

/// <summary>Every PHI read, and every refused attempt at one, is in the access log, which auditors can query.</summary>
public sealed class AccessLogTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private sealed record Event(string Actor, string? Role, string Action, Guid[] PatientIds, string? ClientAddress, string Outcome);

    private Task<List<Event>> EventsAboutAsync(Guid patientId) => api.Database.ListAsync(
        "SELECT actor, role, action, patient_ids, client_address, outcome FROM security.access_events WHERE @id = ANY(patient_ids) ORDER BY event_id",
        r => new Event(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.GetFieldValue<Guid[]>(3),
            r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5)),
        ("id", patientId));

    private async Task<Guid> IngestAsync()
    {
        using var response = await api.Client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName("Logged")));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("patientId").GetGuid();
    }

    private async Task<HttpStatusCode> ReadAsync(Guid patientId, string? role)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/audit/patients/{patientId}");
        if (role is not null)
        {
            request.Headers.Add(KontaktAuthentication.ApiKeyHeader, api.Factory.Keys[role]);
        }
        using var bare = api.Factory.CreateDefaultClient();
        using var response = await bare.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_phi_read_and_refused_attempts_are_logged_with_actor_role_patient_and_outcome()
    {
        var patientId = await IngestAsync();
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(patientId, KontaktRoles.Auditor));
        Assert.Equal(HttpStatusCode.Forbidden, await ReadAsync(patientId, KontaktRoles.Analyst));
        Assert.Equal(HttpStatusCode.Forbidden, await ReadAsync(patientId, KontaktRoles.Admin));
        Assert.Equal(HttpStatusCode.Unauthorized, await ReadAsync(patientId, role: null));

        var events = await EventsAboutAsync(patientId);
        Assert.Equal(
            [
                ("test-auditor", "auditor", AccessOutcomes.Allowed),
                ("test-analyst", "analyst", AccessOutcomes.Denied),
                ("test-admin", "admin", AccessOutcomes.Denied),
                (AccessActor.Anonymous, null, AccessOutcomes.Unauthenticated),
            ],
            events.Select(e => (e.Actor, e.Role, e.Outcome)));
        Assert.All(events, e =>
        {
            Assert.Equal(AccessActions.AuditPatientRead, e.Action);
            Assert.Equal([patientId], e.PatientIds);
        });
    }

    [Fact]
    public async Task A_read_of_an_unknown_patient_is_logged_as_not_found()
    {
        var patientId = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.NotFound, await ReadAsync(patientId, KontaktRoles.Auditor));
        Assert.Equal(AccessOutcomes.NotFound, Assert.Single(await EventsAboutAsync(patientId)).Outcome);
    }

    [Fact]
    public async Task Auditors_query_the_log_by_patient_and_actor_newest_first_a_page_at_a_time()
    {
        var patientId = await IngestAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await ReadAsync(patientId, KontaktRoles.Auditor));
        }
        Assert.Equal(HttpStatusCode.Forbidden, await ReadAsync(patientId, KontaktRoles.Analyst));

        var seen = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await api.Client.GetAsync($"/v1/audit/access-events?patientId={patientId}&limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var body = await page.JsonAsync();
            var events = body.GetProperty("events").EnumerateArray().ToList();
            Assert.InRange(events.Count, 1, 2);
            seen.AddRange(events);
            cursor = body.GetProperty("next").GetString();
        }
        while (cursor is not null);
        Assert.Equal(4, seen.Count);
        var ids = seen.Select(e => e.GetProperty("eventId").GetInt64()).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(["denied", "allowed", "allowed", "allowed"], seen.Select(e => e.GetProperty("outcome").GetString()));

        var byActor = await api.Client.GetAsync($"/v1/audit/access-events?patientId={patientId}&actor=test-analyst");
        var only = Assert.Single((await byActor.JsonAsync()).GetProperty("events").EnumerateArray());
        Assert.Equal("test-analyst", only.GetProperty("actor").GetString());

        var later = DateTimeOffset.UtcNow.AddMinutes(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var none = await api.Client.GetAsync($"/v1/audit/access-events?patientId={patientId}&from={later}");
        Assert.Empty((await none.JsonAsync()).GetProperty("events").EnumerateArray());
        var all = await api.Client.GetAsync($"/v1/audit/access-events?patientId={patientId}&to={later}");
        Assert.Equal(4, (await all.JsonAsync()).GetProperty("events").GetArrayLength());

        var invalid = await api.Client.GetAsync("/v1/audit/access-events?patientId=nope&limit=0&cursor=x&from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.JsonAsync()).GetProperty("errors");
        Assert.Equal(["cursor", "from", "limit", "patientId"], errors.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Only_auditors_read_the_access_log()
    {
        foreach (var role in new[] { KontaktRoles.Ingest, KontaktRoles.Analyst, KontaktRoles.Admin })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/audit/access-events");
            request.Headers.Add(KontaktAuthentication.ApiKeyHeader, api.Factory.Keys[role]);
            using var response = await api.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task When_the_access_event_cannot_be_written_no_phi_is_returned()
    {
        var name = TestRecords.UniqueName("Unlogged");
        using var posted = await api.Client.PostRecordAsync(ApiJson.Record(name));
        var patientId = (await posted.JsonAsync()).GetProperty("patientId").GetGuid();
        await api.Database.ScalarAsync<int>("""
            CREATE FUNCTION security.refuse_events() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'access log unavailable'; END $$;
            CREATE TRIGGER refuse_events BEFORE INSERT ON security.access_events FOR EACH ROW EXECUTE FUNCTION security.refuse_events();
            SELECT 1;
            """);
        try
        {
            using var response = await api.Client.GetAsync($"/v1/audit/patients/{patientId}");
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(name, body, StringComparison.Ordinal);
            Assert.DoesNotContain("1980-04-01", body, StringComparison.Ordinal);
        }
        finally
        {
            await api.Database.ScalarAsync<int>("DROP TRIGGER refuse_events ON security.access_events; DROP FUNCTION security.refuse_events(); SELECT 1;");
        }
        Assert.Empty(await EventsAboutAsync(patientId));
    }
}
