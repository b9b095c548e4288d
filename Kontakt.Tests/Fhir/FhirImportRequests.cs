using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Kontakt.Tests.Imports;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Fhir;

/// <summary>Kicking off <c>POST /fhir/$import</c> and polling its status URL, for tests.</summary>
internal static class FhirImportRequests
{
    public const string FhirNdjson = "application/fhir+ndjson";

    public static async Task<HttpResponseMessage> PostFhirImportAsync(
        this HttpClient client, string body, string contentType = FhirNdjson, string? prefer = "respond-async", string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/$import") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (prefer is not null)
        {
            request.Headers.Add("Prefer", prefer);
        }
        if (key is not null)
        {
            request.Headers.Add(RoleKeyHandler.Header, key);
        }
        return await client.SendAsync(request);
    }

    /// <summary>Kicks off and returns the status URL (asserting 202 and Content-Location).</summary>
    public static async Task<string> StartFhirImportAsync(this HttpClient client, string body)
    {
        using var response = await client.PostFhirImportAsync(body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var status = response.Content.Headers.ContentLocation?.OriginalString;
        Assert.NotNull(status);
        Assert.StartsWith("/fhir/$import-status/", status, StringComparison.Ordinal);
        return status;
    }

    public static string JobIdOf(string statusUrl) => statusUrl["/fhir/$import-status/".Length..];

    /// <summary>Polls until the status URL stops answering 202; returns the manifest (asserting 200).</summary>
    public static async Task<JsonElement> ManifestAsync(this HttpClient client, string statusUrl)
    {
        JsonElement manifest = default;
        await Eventually.TrueAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri(statusUrl, UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                Assert.Matches(@"^(queued|running): [\d,]+ lines read", response.Headers.GetValues("X-Progress").Single());
                return false;
            }
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            manifest = await response.JsonAsync();
            return true;
        }, ImportRequests.JobDeadline, $"$import job {statusUrl} did not finish");
        return manifest;
    }
}
