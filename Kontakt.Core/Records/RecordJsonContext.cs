using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kontakt.Core.Records;

/// <summary>
/// Source-generated JSON for the record contract: camelCase and case-sensitive, unknown and
/// duplicate properties rejected so that a typo in a field name is an error, not a silent null.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNameCaseInsensitive = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    MaxDepth = 8)]
[JsonSerializable(typeof(RecordRequest))]
[JsonSerializable(typeof(RecordRequest[]))]
public sealed partial class RecordJsonContext : JsonSerializerContext;
