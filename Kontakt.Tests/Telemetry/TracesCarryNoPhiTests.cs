using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Net;
using System.Text;
using Kontakt.Core.Ingest;
using Kontakt.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Kontakt.Tests.Telemetry;

/// <summary>
/// With an OTLP endpoint configured, the service traces every request and every batch commit; none of the
/// PHI or identifiers posted may appear in any span (name, tag, event, link, status) or metric tag, in
/// memory or in what went over OTLP. Activity sources are process-wide, so spans of other tests running
/// at the same time are captured too: they are checked as well, and the link test follows a trace ID of its own.
/// </summary>
public sealed class TracesCarryNoPhiTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task No_name_dob_color_record_id_or_patient_id_appears_in_spans_metrics_or_otlp_and_the_batch_span_links_to_the_request()
    {
        using var collector = new OtlpReceiver();
        var spans = new LockedCollection<Activity>();
        var metrics = new LockedCollection<Metric>();
        await using var factory = new KontaktApiFactory(database.ConnectionString);
        await using var traced = factory.WithWebHostBuilder(host =>
        {
            // Host settings, unlike app configuration, are there while the service registers itself, as environment variables are.
            host.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", collector.Endpoint.ToString().TrimEnd('/'));
            host.UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
            host.ConfigureTestServices(services =>
            {
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
                services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
            });
        });
        using var client = traced.CreateDefaultClient(new RoleKeyHandler(factory.Keys));

        var run = Guid.NewGuid().ToString("N")[..12];
        var given = "Quirinus" + run;
        var family = "Zweistein" + run;
        var recordId = "mrn-" + run;
        var secrets = new List<string> { given, family, recordId, "1937-03-14", "19370314", "Vermillion", "Periwinkle" };

        // One request under a trace of our own, so its span can be told from other tests'.
        var traceId = ActivityTraceId.CreateRandom();
        var post = new HttpRequestMessage(HttpMethod.Post, "/v1/records")
        {
            Content = new StringContent($$"""{"name":"{{given}} {{family}}","dob":"1937-03-14","favoriteColor":"Vermillion","recordId":"{{recordId}}"}""", Encoding.UTF8, "application/json"),
        };
        post.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var created = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var patientId = (await created.JsonAsync()).GetProperty("patientId").GetString()!;
        secrets.Add(patientId);

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostRecordAsync(ApiJson.Record($"{given} {family}", "1937-03-14", "Periwinkle", recordId + "-async"), "respond-async")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonTextAsync("/v1/records/batch",
            $$"""[{"name":"{{family}} {{given}}","dob":"1937-03-14","recordId":"{{recordId}}-b1"},{"name":"{{given}} {{family}}","dob":"1937-03-14","favoriteColor":"Vermillion","recordId":"{{recordId}}-b2"}]""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostRecordAsync(ApiJson.Record($"{given} {family}", "1937-03-41", "Vermillion", recordId + "-bad"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/records/{recordId}")).StatusCode);
        // Under a trace of our own too: activity listeners are process-wide, so other tests' servers' spans are collected as well.
        var readTraceId = ActivityTraceId.CreateRandom();
        var read = new HttpRequestMessage(HttpMethod.Get, $"/v1/patients/{patientId}");
        read.Headers.Add("traceparent", $"00-{readTraceId}-{ActivitySpanId.CreateRandom()}-01");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(read)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/patients/{patientId}/history?note={given}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/audit/patients/{patientId}")).StatusCode);
        await client.GetAsync($"/v1/no-such-route/{family}");

        var tracer = traced.Services.GetRequiredService<TracerProvider>();
        Activity? requestSpan = null;
        Activity? batchSpan = null;
        await Eventually.TrueAsync(() =>
        {
            tracer.ForceFlush();
            lock (spans)
            {
                requestSpan = spans.FirstOrDefault(s => s.TraceId == traceId && s.Kind == ActivityKind.Server);
                batchSpan = requestSpan is null ? null : spans.FirstOrDefault(s =>
                    s.Source.Name == IngestTracing.SourceName && s.Links.Any(l => l.Context.TraceId == traceId && l.Context.SpanId == requestSpan.SpanId));
            }
            return batchSpan is not null;
        }, TimeSpan.FromSeconds(15), "no batch commit span links to the request's span");

        Assert.Equal("/v1/records/", requestSpan!.GetTagItem("http.route"));
        Assert.Equal("kontakt.ingest.commit", batchSpan!.DisplayName);
        Assert.True((int)batchSpan.GetTagItem("kontakt.batch.records")! >= 1);
        List<Activity> all;
        lock (spans)
        {
            all = [.. spans];
        }
        // The database work of the commit is traced under the batch span (Npgsql's db.query.text: SQL with parameters, no values).
        Assert.Contains(all, s => s.Source.Name == "Npgsql" && s.ParentSpanId == batchSpan.SpanId);
        var patientSpan = Assert.Single(all, s => s.TraceId == readTraceId && s.Kind == ActivityKind.Server);
        Assert.Equal("/v1/patients/{patientId}", patientSpan.GetTagItem("http.route"));
        Assert.Equal("/v1/patients/{patientId}", patientSpan.GetTagItem("url.path"));

        foreach (var span in all)
        {
            AssertNoSecret(secrets, Describe(span), $"span {span.DisplayName} ({span.Source.Name})");
        }

        traced.Services.GetRequiredService<MeterProvider>().ForceFlush();
        List<Metric> exported;
        lock (metrics)
        {
            exported = [.. metrics];
        }
        Assert.Contains(exported, m => m.Name == "kontakt.records.committed");
        Assert.Contains(exported, m => m.Name == "http.server.request.duration");
        foreach (var metric in exported)
        {
            AssertNoSecret(secrets, Describe(metric), $"metric {metric.Name}");
        }

        await Eventually.TrueAsync(() => collector.Exports.Any(e => e.Path == "/v1/traces" && Contains(e.Body, "kontakt.ingest.commit")),
            TimeSpan.FromSeconds(15), "no batch span reached the OTLP endpoint");
        foreach (var (path, body) in collector.Exports)
        {
            AssertNoSecret(secrets, Encoding.UTF8.GetString(body), $"OTLP export to {path}");
        }
    }

    private static bool Contains(byte[] body, string text) => Encoding.UTF8.GetString(body).Contains(text, StringComparison.Ordinal);

    private static void AssertNoSecret(IEnumerable<string> secrets, string text, string where)
    {
        foreach (var secret in secrets)
        {
            Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{where} carries '{secret}':\n{text}");
        }
    }

    /// <summary>Everything of a span an exporter sends, as text.</summary>
    private static string Describe(Activity span)
    {
        var text = new StringBuilder();
        text.AppendLine(span.DisplayName).AppendLine(span.OperationName).AppendLine(span.StatusDescription).AppendLine(span.TraceStateString);
        foreach (var tag in span.TagObjects)
        {
            text.Append(tag.Key).Append('=').Append(tag.Value).AppendLine();
        }
        foreach (var item in span.Baggage)
        {
            text.Append(item.Key).Append('=').Append(item.Value).AppendLine();
        }
        foreach (var spanEvent in span.Events)
        {
            text.AppendLine(spanEvent.Name);
            foreach (var tag in spanEvent.Tags)
            {
                text.Append(tag.Key).Append('=').Append(tag.Value).AppendLine();
            }
        }
        foreach (var link in span.Links)
        {
            text.AppendLine(link.Context.TraceState);
            foreach (var tag in link.Tags ?? [])
            {
                text.Append(tag.Key).Append('=').Append(tag.Value).AppendLine();
            }
        }
        return text.ToString();
    }

    /// <summary>A metric's name, description and every tag of every point.</summary>
    private static string Describe(Metric metric)
    {
        var text = new StringBuilder().AppendLine(metric.Name).AppendLine(metric.Description).AppendLine(metric.Unit);
        foreach (var point in metric.GetMetricPoints())
        {
            foreach (var tag in point.Tags)
            {
                text.Append(tag.Key).Append('=').Append(tag.Value).AppendLine();
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// What the in-memory exporters add to, from any thread (activity listeners are process-wide, so other tests'
    /// spans arrive too): each add takes the collection's own lock, which the test also holds while it reads.
    /// </summary>
    private sealed class LockedCollection<T> : Collection<T>
    {
        protected override void InsertItem(int index, T item)
        {
            lock (this)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
