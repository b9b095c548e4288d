using System.Net;
using Kontakt.Tests.Support;
using static Kontakt.Tests.Support.PrometheusText;

namespace Kontakt.Tests.Api;

public sealed class MetricsApiTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Metrics_count_accepted_committed_and_rejected_records_and_carry_no_phi()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString);
        using var client = factory.CreateClient();
        var secretName = "Zebediah Quixote-" + Guid.NewGuid().ToString("N");
        var secretRecordId = "chart-" + Guid.NewGuid().ToString("N");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostRecordAsync(ApiJson.Record(secretName, dob: "1944-06-06", color: "Vermillion", recordId: $"{secretRecordId}-{i}"))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostRecordAsync(ApiJson.Record(secretName, dob: "1899-01-01"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/records/{secretRecordId}-0")).StatusCode);

        // The readiness gauge follows the health check publisher, which runs every few seconds.
        await Eventually.TrueAsync(async () => Samples(await client.GetStringAsync("/metrics")).Any(s => s.Name == "kontakt_ready" && s.Value == 1),
            TimeSpan.FromSeconds(15), "kontakt_ready never became 1");
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var metrics = await response.Content.ReadAsStringAsync();

        Assert.Equal(3, Value(metrics, "kontakt_records_accepted_total"));
        Assert.Equal(3, Value(metrics, "kontakt_records_committed_total"));
        Assert.Equal(1, Value(metrics, "kontakt_records_rejected_total", ("reason", "invalid")));
        Assert.Equal(0, Value(metrics, "kontakt_records_rejected_total", ("reason", "overloaded")));
        Assert.Equal(0, Value(metrics, "kontakt_records_dead_lettered_total"));
        Assert.Equal(0, Value(metrics, "kontakt_queue_pending_records"));
        Assert.Equal(0, Value(metrics, "kontakt_queue_oldest_record_age_seconds"));
        Assert.True(Value(metrics, "kontakt_queue_capacity_records") > 0);
        Assert.Equal(0, Value(metrics, "kontakt_queue_waiting_requests"));
        Assert.Equal(1, Value(metrics, "kontakt_ready", ("reason", "ok")));
        Assert.True(Value(metrics, "kontakt_batches_total") >= 1);
        Assert.True(Value(metrics, "kontakt_batch_commit_seconds_count") >= 1);
        Assert.Equal(Value(metrics, "kontakt_batch_size_records_count"), Value(metrics, "kontakt_batch_size_records_bucket", ("le", "+Inf")));
        Assert.Equal(0, Value(metrics, "kontakt_writer_retried_errors_total"));
        Assert.Equal(0, Value(metrics, "kontakt_writer_batch_splits_total"));
        Assert.True(Value(metrics, "dotnet_process_memory_working_set_bytes") > 0);
        // ASP.NET Core's own request histogram, by route template: the record ID in the path is not a label.
        Assert.Equal(3, Value(metrics, "http_server_request_duration_seconds_count", ("http_request_method", "POST"), ("http_response_status_code", "201"),
            ("http_route", "/v1/records/"), ("network_protocol_version", "1.1"), ("url_scheme", "http")));
        Assert.Contains(Samples(metrics), s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.GetValueOrDefault("http_route") == "/v1/records/{recordId}");

        Assert.DoesNotContain("Zebediah", metrics, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("1944", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("Vermillion", metrics, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(secretRecordId, metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_202_record_that_could_not_be_stored_counts_as_dead_lettered()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString);
        using var client = factory.CreateClient();
        var recordId = $"dl-{Guid.NewGuid():N}";

        Assert.Equal(HttpStatusCode.Created, (await client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: recordId))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: recordId), prefer: "respond-async")).StatusCode);

        // Both counts in the wait: the writer counts the dead letter before the conflict, and a scrape is cached
        // for a moment, so the first scrape showing the one may predate the other.
        var metrics = "";
        await Eventually.TrueAsync(async () =>
        {
            metrics = await client.GetStringAsync("/metrics");
            return Value(metrics, "kontakt_records_dead_lettered_total") == 1 && Value(metrics, "kontakt_records_rejected_total", ("reason", "conflict")) >= 1;
        }, TimeSpan.FromSeconds(15), "the conflicting 202 record was not counted as dead-lettered and as a conflict");
        Assert.Equal(1, Value(metrics, "kontakt_records_rejected_total", ("reason", "conflict")));
        Assert.Equal(1, Value(metrics, "kontakt_records_committed_total"));
    }

    [Fact]
    public async Task Rejected_batch_bodies_count_as_invalid_like_rejected_single_records()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString);
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonTextAsync("/v1/records", "{not json")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonTextAsync("/v1/records/batch", "[{not json")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonTextAsync("/v1/records/batch", "[]")).StatusCode);

        var metrics = await client.GetStringAsync("/metrics");
        Assert.Equal(3, Value(metrics, "kontakt_records_rejected_total", ("reason", "invalid")));
        Assert.Equal(0, Value(metrics, "kontakt_records_accepted_total"));
    }
}
