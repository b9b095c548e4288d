using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Rest;
using Kontakt.Core.Fhir;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Fhir;

/// <summary>Helpers for talking FHIR to the API in tests: raw JSON requests, Patients, and a Firely client.</summary>
public static class FhirTesting
{
    public const string FhirJson = "application/fhir+json";

    public static Task<HttpResponseMessage> PostFhirAsync(this HttpClient client, string path, string json, string? prefer = null, string contentType = FhirJson)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType) { CharSet = "utf-8" };
        if (prefer is not null)
        {
            request.Headers.Add("Prefer", prefer);
        }
        return client.SendAsync(request);
    }

    /// <summary>A Patient with one official name; a null color leaves the favorite-color extension out.</summary>
    public static JsonObject Patient(string[] given, string family, string birthDate, string? color = null)
    {
        var patient = new JsonObject
        {
            ["resourceType"] = "Patient",
            ["name"] = new JsonArray(new JsonObject
            {
                ["use"] = "official",
                ["given"] = new JsonArray(given.Select(g => (JsonNode)JsonValue.Create(g)!).ToArray()),
                ["family"] = family,
            }),
            ["birthDate"] = birthDate,
        };
        if (color is not null)
        {
            patient["extension"] = new JsonArray(new JsonObject { ["url"] = FhirPatientMapping.FavoriteColorUrl, ["valueString"] = color });
        }
        return patient;
    }

    /// <summary>A unique person as a Patient: given name "Fhir", a random family name.</summary>
    public static (JsonObject Patient, string FullName) UniquePatient(string birthDate = "1980-04-01", string? color = "green")
    {
        var family = "Family" + Guid.NewGuid().ToString("N");
        return (Patient(["Fhir", "Test"], family, birthDate, color), $"Fhir Test {family}");
    }

    public static JsonObject Bundle(string type, IEnumerable<JsonNode> resources) => new()
    {
        ["resourceType"] = "Bundle",
        ["type"] = type,
        ["entry"] = new JsonArray(resources.Select(r => (JsonNode)new JsonObject
        {
            ["resource"] = r,
            ["request"] = new JsonObject { ["method"] = "POST", ["url"] = r["resourceType"]!.GetValue<string>() },
        }).ToArray()),
    };

    public static async Task<JsonElement> FhirJsonAsync(this HttpResponseMessage response)
    {
        Assert.Equal(FhirJson, response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>The expressions of an OperationOutcome's issues.</summary>
    public static string[] Expressions(JsonElement outcome)
    {
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        return outcome.GetProperty("issue").EnumerateArray()
            .SelectMany(i => i.TryGetProperty("expression", out var e) ? e.EnumerateArray().Select(x => x.GetString()!) : [])
            .ToArray();
    }

    /// <summary>Firely's FhirClient against the test server, sending the key of <paramref name="role"/>.</summary>
    public static FhirClient Client(KontaktApiFactory factory, string role)
    {
        var handler = new KeyHandler(factory.Keys[role]) { InnerHandler = factory.Server.CreateHandler() };
        return new FhirClient("http://localhost/fhir", new FhirClientSettings { PreferredFormat = ResourceFormat.Json }, handler);
    }

    private sealed class KeyHandler(string key) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add(RoleKeyHandler.Header, key);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
