using System.Globalization;
using System.Net;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Api;

public sealed class MetricsApiTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static double Value(string metrics, string series)
    {
        var line = metrics.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Metrics_count_accepted_committed_and_rejected_records_and_carry_no_phi()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString);
        using var client = factory.CreateClient();
        var secretName = "Zebediah Quixote-" + Guid.NewGuid().ToString("N");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostRecordAsync(ApiJson.Record(secretName, dob: "1944-06-06", color: "Vermillion"))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostRecordAsync(ApiJson.Record(secretName, dob: "1899-01-01"))).StatusCode);

        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var metrics = await response.Content.ReadAsStringAsync();

        Assert.Equal(3, Value(metrics, "kontakt_records_accepted_total"));
        Assert.Equal(3, Value(metrics, "kontakt_records_committed_total"));
        Assert.Equal(1, Value(metrics, "kontakt_records_rejected_total{reason=\"invalid\"}"));
        Assert.Equal(0, Value(metrics, "kontakt_queue_pending_records"));
        Assert.Equal(0, Value(metrics, "kontakt_queue_oldest_record_age_seconds"));
        Assert.True(Value(metrics, "kontakt_batch_commit_seconds_count") >= 1);
        Assert.Equal(Value(metrics, "kontakt_batch_size_records_count"), Value(metrics, "kontakt_batch_size_records_bucket{le=\"+Inf\"}"));
        Assert.True(Value(metrics, "process_resident_memory_bytes") > 0);

        Assert.DoesNotContain("Zebediah", metrics, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("1944", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("Vermillion", metrics, StringComparison.OrdinalIgnoreCase);
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
        Assert.Equal(3, Value(metrics, "kontakt_records_rejected_total{reason=\"invalid\"}"));
        Assert.Equal(0, Value(metrics, "kontakt_records_accepted_total"));
    }
}
