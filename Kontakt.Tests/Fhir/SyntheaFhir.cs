using System.Text.Json.Nodes;

namespace Kontakt.Tests.Fhir;

/// <summary>The Synthea FHIR test data (Kontakt.Tests/Data/synthea/SOURCES.md): 60 Patients and 3 transaction Bundles.</summary>
public static class SyntheaFhir
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Data", "synthea", "fhir");

    /// <summary>The 60 Patients, one JSON text each, as published.</summary>
    public static string[] PatientLines() =>
        File.ReadAllLines(Path.Combine(Folder, "patients.ndjson")).Where(line => line.Length > 0).ToArray();

    /// <summary>The 3 per-patient transaction Bundles, as published.</summary>
    public static string[] BundleTexts() =>
        Directory.GetFiles(Path.Combine(Folder, "bundles"), "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();

    /// <summary>A published Bundle with its type changed (to <c>batch</c>), the rest untouched.</summary>
    public static string WithType(string bundle, string type)
    {
        var node = JsonNode.Parse(bundle)!.AsObject();
        node["type"] = type;
        return node.ToJsonString();
    }
}
