using System.Text.Json;

namespace Kontakt.LoadTest.Load;

/// <summary>
/// Reads the service's 201 and 202 bodies with <see cref="Utf8JsonReader"/>, taking only the
/// fields the load test needs. Malformed bodies throw <see cref="JsonException"/>.
/// </summary>
public static class ResponseParser
{
    /// <summary>A single-record 201: <c>{"recordId","patientId","newPatient","receivedAt"}</c>.</summary>
    public static CreatedRecord ParseCreated(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Read(ref reader);
        var created = ReadCreatedObject(ref reader);
        return created;
    }

    /// <summary>A batch 201: an array of single-record results, in request order; appended to <paramref name="results"/>.</summary>
    public static void ParseCreatedBatch(ReadOnlySpan<byte> json, List<CreatedRecord> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var reader = new Utf8JsonReader(json);
        Read(ref reader);
        Expect(ref reader, JsonTokenType.StartArray);
        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            results.Add(ReadCreatedObject(ref reader));
        }
    }

    /// <summary>A 202: <c>{"recordId"}</c> or <c>{"recordIds":[...]}</c>; the queued record IDs.</summary>
    public static IReadOnlyList<string> ParseQueued(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Read(ref reader);
        Expect(ref reader, JsonTokenType.StartObject);
        var ids = new List<string>();
        while (Read(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("recordId"u8))
            {
                Read(ref reader);
                ids.Add(reader.GetString() ?? throw new JsonException("recordId is null."));
            }
            else if (reader.ValueTextEquals("recordIds"u8))
            {
                Read(ref reader);
                Expect(ref reader, JsonTokenType.StartArray);
                while (Read(ref reader) != JsonTokenType.EndArray)
                {
                    ids.Add(reader.GetString() ?? throw new JsonException("A recordIds element is null."));
                }
            }
            else
            {
                Read(ref reader);
                reader.Skip();
            }
        }
        return ids;
    }

    /// <summary>A patient view (<c>GET /v1/patients/{id}</c>): its patientId.</summary>
    public static Guid ParsePatientId(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Read(ref reader);
        Expect(ref reader, JsonTokenType.StartObject);
        while (Read(ref reader) != JsonTokenType.EndObject)
        {
            var isPatientId = reader.ValueTextEquals("patientId"u8);
            Read(ref reader);
            if (isPatientId)
            {
                return reader.GetGuid();
            }
            reader.Skip();
        }
        throw new JsonException("patientId is missing.");
    }

    private static CreatedRecord ReadCreatedObject(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? recordId = null;
        Guid? patientId = null;
        var newPatient = false;
        while (Read(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("recordId"u8))
            {
                Read(ref reader);
                recordId = reader.GetString();
            }
            else if (reader.ValueTextEquals("patientId"u8))
            {
                Read(ref reader);
                patientId = reader.GetGuid();
            }
            else if (reader.ValueTextEquals("newPatient"u8))
            {
                Read(ref reader);
                newPatient = reader.GetBoolean();
            }
            else
            {
                Read(ref reader);
                reader.Skip();
            }
        }
        return new CreatedRecord(
            recordId ?? throw new JsonException("recordId is missing."),
            patientId ?? throw new JsonException("patientId is missing."),
            newPatient);
    }

    private static JsonTokenType Read(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("The body ended early.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type}, found {reader.TokenType}.");
        }
    }
}
