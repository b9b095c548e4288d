using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kontakt.LoadTest.Reporting;

/// <summary>Source-generated JSON for <c>report.json</c>.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RunReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
