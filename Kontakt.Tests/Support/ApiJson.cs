using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Kontakt.Tests.Support;

/// <summary>Small helpers for talking JSON to the API in tests.</summary>
public static class ApiJson
{
    /// <summary>Posts <paramref name="json"/>; with <paramref name="key"/>, as that API key instead of the path's role key.</summary>
    public static Task<HttpResponseMessage> PostJsonTextAsync(this HttpClient client, string path, string json, string? prefer = null, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (prefer is not null)
        {
            request.Headers.Add("Prefer", prefer);
        }
        if (key is not null)
        {
            request.Headers.Add(RoleKeyHandler.Header, key);
        }
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostRecordAsync(this HttpClient client, object record, string? prefer = null, string? key = null) =>
        client.PostJsonTextAsync("/v1/records", JsonSerializer.Serialize(record), prefer, key);

    /// <summary>GETs <paramref name="path"/> as the API key <paramref name="key"/>.</summary>
    public static Task<HttpResponseMessage> GetAsKeyAsync(this HttpClient client, string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(RoleKeyHandler.Header, key);
        return client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>A record body; a null color leaves <c>favoriteColor</c> out.</summary>
    public static object Record(string name, string dob = "1980-04-01", string? color = "green", string? recordId = null) =>
        (color, recordId) switch
        {
            (null, null) => new { name, dob },
            (null, _) => new { name, dob, recordId },
            (_, null) => new { name, dob, favoriteColor = color },
            _ => new { name, dob, favoriteColor = color, recordId },
        };
}
