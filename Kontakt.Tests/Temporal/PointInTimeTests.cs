using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kontakt.Core.Temporal;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Temporal;

public sealed class PointInTimeTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TestDatabase _database = fixture.Database;
    private readonly HttpClient _client = fixture.Client;

    private static string At(DateTimeOffset time) => Uri.EscapeDataString(SystemTime.Format(time));

    private async Task<string> PostAsync(string name, string? color)
    {
        var response = await _client.PostRecordAsync(ApiJson.Record(name, color: color));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("patientId").GetString()!;
    }

    private async Task<JsonElement[]> HistoryAsync(string patientId)
    {
        var response = await _client.GetAsync($"/v1/patients/{patientId}/history");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).EnumerateArray().ToArray();
    }

    private async Task<(HttpStatusCode Status, string? Color, string? AsOf)> ColorAtAsync(string patientId, DateTimeOffset time)
    {
        var response = await _client.GetAsync($"/v1/patients/{patientId}?asOf={At(time)}");
        var header = response.Headers.GetValues("Kontakt-As-Of").Single();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, null, header);
        }
        var body = await response.JsonAsync();
        Assert.Equal(header, body.GetProperty("asOf").GetString());
        return (response.StatusCode, body.GetProperty("favoriteColor").GetString(), header);
    }

    [Fact]
    public async Task As_of_each_boundary_returns_the_color_valid_then_and_history_is_contiguous()
    {
        var name = TestRecords.UniqueName();
        var patientId = await PostAsync(name, "red");
        await PostAsync(name, "blue");
        await PostAsync(name, "green");

        var history = await HistoryAsync(patientId);
        Assert.Equal(["red", "blue", "green"], history.Select(v => v.GetProperty("favoriteColor").GetString()));
        for (var i = 0; i < history.Length - 1; i++)
        {
            Assert.Equal(history[i].GetProperty("validTo").GetDateTimeOffset(), history[i + 1].GetProperty("validFrom").GetDateTimeOffset());
            Assert.True(history[i].GetProperty("validFrom").GetDateTimeOffset() < history[i].GetProperty("validTo").GetDateTimeOffset());
        }
        Assert.Equal(JsonValueKind.Null, history[^1].GetProperty("validTo").ValueKind);

        var starts = history.Select(v => v.GetProperty("validFrom").GetDateTimeOffset()).ToArray();
        var microsecond = TimeSpan.FromTicks(10);
        Assert.Equal(HttpStatusCode.NotFound, (await ColorAtAsync(patientId, starts[0] - microsecond)).Status);
        string[] colors = ["red", "blue", "green"];
        for (var i = 0; i < starts.Length; i++)
        {
            Assert.Equal(colors[i], (await ColorAtAsync(patientId, starts[i])).Color);
            Assert.Equal(colors[i], (await ColorAtAsync(patientId, starts[i] + microsecond)).Color);
            if (i > 0)
            {
                Assert.Equal(colors[i - 1], (await ColorAtAsync(patientId, starts[i] - microsecond)).Color);
            }
        }
    }

    [Fact]
    public async Task A_snapshot_of_a_past_time_excludes_later_patients_and_shows_the_color_valid_then()
    {
        var early = await PostAsync(TestRecords.UniqueName(), "red");
        var changing = TestRecords.UniqueName();
        var changingId = await PostAsync(changing, "amber");
        var between = (await HistoryAsync(changingId))[0].GetProperty("validFrom").GetDateTimeOffset();

        await PostAsync(changing, "violet");
        var late = await PostAsync(TestRecords.UniqueName(), "blue");

        var rows = await SnapshotRowsAsync(between);
        Assert.Equal("red", rows[early]);
        Assert.Equal("amber", rows[changingId]);
        Assert.DoesNotContain(late, rows.Keys);

        var now = await SnapshotRowsAsync(null);
        Assert.Equal("violet", now[changingId]);
        Assert.Equal("blue", now[late]);
    }

    [Fact]
    public async Task Snapshot_rows_are_ordered_by_patient_id_and_match_the_manifest()
    {
        string?[] colors = ["Robin's  Egg Blue", "#ABC", null];
        for (var i = 0; i < 30; i++)
        {
            await PostAsync(TestRecords.UniqueName(), colors[i % colors.Length]);
        }
        var manifestResponse = await _client.GetAsync("/v1/snapshots/public/manifest");
        var manifest = await manifestResponse.JsonAsync();
        var asOf = manifest.GetProperty("asOf").GetString()!;
        Assert.Equal(asOf, manifestResponse.Headers.GetValues("Kontakt-As-Of").Single());

        var ndjson = await _client.GetByteArrayAsync($"/v1/snapshots/public?asOf={Uri.EscapeDataString(asOf)}");
        Assert.Equal(manifest.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(ndjson)));
        var lines = Encoding.UTF8.GetString(ndjson).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(manifest.GetProperty("patients").GetInt64(), lines.Length);
        var ids = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("patientId").GetString()!).ToArray();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);

        var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/v1/snapshots/public?asOf={Uri.EscapeDataString(asOf)}");
        csvRequest.Headers.Add("Accept", "text/csv");
        var csv = await _client.SendAsync(csvRequest);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var csvLines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("patientId,favoriteColor", csvLines[0]);
        Assert.Equal(lines.Length, csvLines.Length - 1);
        Assert.Contains(csvLines, l => l.EndsWith(",robin's egg blue", StringComparison.Ordinal));
        Assert.Contains(csvLines, l => l.EndsWith(",#abc", StringComparison.Ordinal));
        // No color: an empty cell in CSV, null in NDJSON.
        Assert.Contains(csvLines, l => l.EndsWith(',') && l.Count(c => c == ',') == 1);
        Assert.Contains(lines, l => JsonDocument.Parse(l).RootElement.GetProperty("favoriteColor").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task The_manifest_for_a_time_never_changes_while_writers_keep_ingesting()
    {
        var people = Enumerable.Range(0, 40).Select(_ => TestRecords.UniqueName("Repeat")).ToArray();
        using var stop = new CancellationTokenSource();
        var ingest = Task.Run(async () =>
        {
            var round = 0;
            while (!stop.IsCancellationRequested)
            {
                round++;
                // Returning people with new colors (history rows) plus new people, in batches and singles.
                var batch = people.Select(p => ApiJson.Record(p, color: $"#{round:x6}")).Append(ApiJson.Record(TestRecords.UniqueName("New")));
                var response = await _client.PostJsonTextAsync("/v1/records/batch", JsonSerializer.Serialize(batch));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                await _client.PostRecordAsync(ApiJson.Record(people[round % people.Length], color: $"#f{round:x5}"), prefer: "respond-async");
            }
        });

        var taken = new List<(string AsOf, long Patients, string Sha)>();
        for (var attempt = 0; attempt < 8; attempt++)
        {
            // Each manifest at a later horizon than the one before: ingest has committed in between.
            var manifest = default(JsonElement);
            await Eventually.TrueAsync(async () =>
            {
                manifest = await (await _client.GetAsync("/v1/snapshots/public/manifest")).JsonAsync();
                return taken.Count == 0 || manifest.GetProperty("asOf").GetString() != taken[^1].AsOf;
            }, TimeSpan.FromSeconds(15), "the stable horizon did not move while writers were ingesting");
            taken.Add((manifest.GetProperty("asOf").GetString()!, manifest.GetProperty("patients").GetInt64(), manifest.GetProperty("sha256").GetString()!));
        }
        await stop.CancelAsync();
        await ingest;
        // Everything accepted (the 202s included) is committed before the manifests are asked again.
        await Eventually.TrueAsync(async () => PrometheusText.Value(await _client.GetStringAsync("/metrics"), "kontakt_queue_pending_records") == 0,
            TimeSpan.FromSeconds(15), "the records accepted during the test were not all committed");

        Assert.True(taken.Select(t => t.Sha).Distinct().Count() > 1, "ingest should have changed the snapshot between manifests");
        foreach (var (asOf, patients, sha) in taken)
        {
            var again = await (await _client.GetAsync($"/v1/snapshots/public/manifest?asOf={Uri.EscapeDataString(asOf)}")).JsonAsync();
            Assert.Equal(asOf, again.GetProperty("asOf").GetString());
            Assert.Equal(patients, again.GetProperty("patients").GetInt64());
            Assert.Equal(sha, again.GetProperty("sha256").GetString());
        }
    }

    [Fact]
    public async Task An_as_of_in_the_future_is_answered_as_of_the_horizon_and_says_so()
    {
        var patientId = await PostAsync(TestRecords.UniqueName(), "red");
        var future = DateTimeOffset.UtcNow.AddDays(1);
        var (status, color, effective) = await ColorAtAsync(patientId, future);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("red", color);
        Assert.True(SystemTime.TryParse(effective, out var effectiveTime));
        Assert.True(effectiveTime < future);
        Assert.True(effectiveTime <= DateTimeOffset.UtcNow.AddSeconds(1));

        var manifest = await (await _client.GetAsync($"/v1/snapshots/public/manifest?asOf={At(future)}")).JsonAsync();
        Assert.True(SystemTime.TryParse(manifest.GetProperty("asOf").GetString(), out var manifestTime) && manifestTime < future);
    }

    [Fact]
    public async Task An_as_of_before_any_data_is_empty_not_an_error()
    {
        var patientId = await PostAsync(TestRecords.UniqueName(), "red");
        var longAgo = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Empty(await SnapshotRowsAsync(longAgo));
        var manifest = await (await _client.GetAsync($"/v1/snapshots/public/manifest?asOf={At(longAgo)}")).JsonAsync();
        Assert.Equal(0, manifest.GetProperty("patients").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([])), manifest.GetProperty("sha256").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await ColorAtAsync(patientId, longAgo)).Status);
    }

    [Theory]
    [InlineData("/v1/snapshots/public?asOf=yesterday")]
    [InlineData("/v1/snapshots/public/manifest?asOf=2026-11-22T10:03:00")]
    [InlineData("/v1/patients/00000000-0000-4000-8000-000000000000?asOf=10:03")]
    [InlineData("/v1/audit/patients/00000000-0000-4000-8000-000000000000?asOf=2026-02-30T00:00:00Z")]
    public async Task An_unparseable_as_of_is_a_400_naming_as_of(string path)
    {
        var response = await _client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("asOf", out _));
    }

    [Fact]
    public async Task The_audit_view_as_of_a_time_shows_the_phi_and_the_record_that_set_the_color()
    {
        var name = TestRecords.UniqueName("Audited");
        var first = await _client.PostRecordAsync(ApiJson.Record(name, dob: "1961-07-04", color: "red", recordId: "audit-" + Guid.NewGuid().ToString("N")));
        var patientId = (await first.JsonAsync()).GetProperty("patientId").GetString()!;
        var firstAt = (await HistoryAsync(patientId))[0].GetProperty("validFrom").GetDateTimeOffset();
        var secondId = "audit-" + Guid.NewGuid().ToString("N");
        await _client.PostRecordAsync(ApiJson.Record("  " + name.ToUpperInvariant(), dob: "1961-07-04", color: "blue", recordId: secondId));

        var then = await (await _client.GetAsync($"/v1/audit/patients/{patientId}?asOf={At(firstAt)}")).JsonAsync();
        Assert.Equal(name, then.GetProperty("name").GetString());
        Assert.Equal("1961-07-04", then.GetProperty("dob").GetString());
        Assert.Equal("red", then.GetProperty("favoriteColor").GetString());
        Assert.Equal(1, then.GetProperty("records").GetInt64());

        var now = await (await _client.GetAsync($"/v1/audit/patients/{patientId}")).JsonAsync();
        Assert.Equal("blue", now.GetProperty("favoriteColor").GetString());
        Assert.Equal(secondId, now.GetProperty("recordId").GetString());
        Assert.Equal("  " + name.ToUpperInvariant(), now.GetProperty("name").GetString());
        Assert.Equal(2, now.GetProperty("records").GetInt64());

        var before = await _client.GetAsync($"/v1/audit/patients/{patientId}?asOf={At(firstAt - TimeSpan.FromTicks(10))}");
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
    }

    private async Task<Dictionary<string, string>> SnapshotRowsAsync(DateTimeOffset? asOf)
    {
        var path = asOf is { } t ? $"/v1/snapshots/public?asOf={At(t)}" : "/v1/snapshots/public";
        var response = await _client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => e.GetProperty("patientId").GetString()!, e => e.GetProperty("favoriteColor").GetString()!);
    }
}
