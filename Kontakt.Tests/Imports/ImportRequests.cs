using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Imports;

/// <summary>Uploading files to <c>/v1/imports</c> and following their jobs, for tests.</summary>
internal static class ImportRequests
{
    public const string Csv = "text/csv";
    public const string Ndjson = "application/x-ndjson";

    public static readonly TimeSpan JobDeadline = TimeSpan.FromSeconds(60);

    public static async Task<HttpResponseMessage> PostImportAsync(this HttpClient client, string body, string contentType = Csv, string query = "", string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/imports" + query)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (key is not null)
        {
            request.Headers.Add(RoleKeyHandler.Header, key);
        }
        return await client.SendAsync(request);
    }

    /// <summary>Uploads and returns the new job's ID (asserting 202 and its Location).</summary>
    public static async Task<string> StartImportAsync(this HttpClient client, string body, string contentType = Csv, string query = "")
    {
        using var response = await client.PostImportAsync(body, contentType, query);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var jobId = (await response.JsonAsync()).GetProperty("jobId").GetString()!;
        Assert.Equal($"/v1/imports/{jobId}", response.Headers.Location?.OriginalString);
        return jobId;
    }

    public static async Task<JsonElement> GetJobAsync(this HttpClient client, string jobId)
    {
        using var response = await client.GetAsync(new Uri($"/v1/imports/{jobId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>Waits until the job completed or failed and returns its last state.</summary>
    public static async Task<JsonElement> FinishedJobAsync(this HttpClient client, string jobId)
    {
        JsonElement job = default;
        await Eventually.TrueAsync(async () =>
        {
            job = await client.GetJobAsync(jobId);
            return job.GetProperty("status").GetString() is "completed" or "failed";
        }, JobDeadline, $"import job {jobId} did not finish");
        return job;
    }

    /// <summary>The job's error report, one JSON object per line.</summary>
    public static async Task<(string Text, JsonElement[] Lines)> ErrorReportAsync(this HttpClient client, string jobId)
    {
        using var response = await client.GetAsync(new Uri($"/v1/imports/{jobId}/errors", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Ndjson, response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToArray();
        return (text, lines);
    }

    public static (long Line, string Field) Entry(JsonElement error) => (error.GetProperty("line").GetInt64(), error.GetProperty("field").GetString()!);

    public static string DerivedRecordId(string jobId, long line) => $"import-{Guid.Parse(jobId):N}-{line}";
}
