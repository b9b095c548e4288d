using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Kontakt.Core.Records;
using Kontakt.LoadTest.Data;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.LoadTest;

public sealed class RecordBodyWriterTests
{
    private static readonly Lazy<RecordPlan> SharedPlan = new(() => RecordPlanner.Create(
        new RecordPlanSettings(5_000, 11, 0.4, 0.5, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1))));

    private static readonly RecordIdScheme Ids = new("bodywriter1");

    private static RecordPlan Plan => SharedPlan.Value;

    private static RecordBodyWriter Writer => new(Plan, Ids);

    private static string Dob(int sequence) => Plan.DobOf(sequence).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static byte[] Batch(int first, int count)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, RecordBodyWriter.WriterOptions))
        {
            Writer.WriteBatch(writer, first, count);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void AssertIsRecord(JsonElement body, int sequence)
    {
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        // A record without a color leaves the optional field out.
        string[] fields = Plan[sequence].FavoriteColor is null ? ["dob", "name", "recordId"] : ["dob", "favoriteColor", "name", "recordId"];
        Assert.Equal(fields, body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(body.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        Assert.Equal(Plan[sequence].Name, body.GetProperty("name").GetString());
        Assert.Equal(Dob(sequence), body.GetProperty("dob").GetString());
        Assert.Equal(Plan[sequence].FavoriteColor, body.TryGetProperty("favoriteColor", out var color) ? color.GetString() : null);
        Assert.Equal(Ids.For(sequence), body.GetProperty("recordId").GetString());
    }

    [Fact]
    public void Every_record_body_is_a_json_object_with_exactly_name_dob_color_and_record_id()
    {
        for (var sequence = 0; sequence < Plan.Count; sequence++)
        {
            using var document = JsonDocument.Parse(Writer.RecordBytes(sequence));
            AssertIsRecord(document.RootElement, sequence);
        }
    }

    [Fact]
    public void Names_with_no_break_spaces_accents_and_apostrophes_survive_the_json_round_trip()
    {
        var tricky = Enumerable.Range(0, Plan.Count)
            .Where(s => Plan[s].Name.Any(c => c > 127 || c == '\'' || c == '\u00A0'))
            .ToList();
        Assert.NotEmpty(tricky);
        Assert.Contains(tricky, s => Plan[s].Name.Contains('\u00A0', StringComparison.Ordinal));
        foreach (var sequence in tricky)
        {
            using var document = JsonDocument.Parse(Writer.RecordBytes(sequence));
            Assert.Equal(Plan[sequence].Name, document.RootElement.GetProperty("name").GetString());
        }
    }

    [Fact]
    public void The_servers_strict_contract_reads_every_body_and_validates_it()
    {
        var validator = new RecordValidator(TimeProvider.System);
        for (var sequence = 0; sequence < Plan.Count; sequence++)
        {
            var request = JsonSerializer.Deserialize(Writer.RecordBytes(sequence), RecordJsonContext.Default.RecordRequest);
            var errors = new List<FieldError>();
            var validated = validator.Validate(request, TestRecords.Client, validator.Now(), errors);
            Assert.True(validated is not null, $"record {sequence}: {string.Join("; ", errors)}");
            Assert.Equal(Ids.For(sequence), validated.RecordId);
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 250)]
    [InlineData(1_234, 1_000)]
    [InlineData(4_990, 10)]
    public void A_batch_is_a_json_array_of_the_requested_records_in_sequence_order(int first, int count)
    {
        using var document = JsonDocument.Parse(Batch(first, count));
        var items = document.RootElement;
        Assert.Equal(JsonValueKind.Array, items.ValueKind);
        Assert.Equal(count, items.GetArrayLength());
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            AssertIsRecord(item, first + index);
            index++;
        }
    }

    [Fact]
    public void The_servers_strict_contract_reads_a_batch_in_order()
    {
        var requests = JsonSerializer.Deserialize(Batch(100, 500), RecordJsonContext.Default.RecordRequestArray);
        Assert.NotNull(requests);
        Assert.Equal(Enumerable.Range(100, 500).Select(Ids.For), requests.Select(r => r.RecordId));
    }

    [Fact]
    public void A_reset_writer_writes_the_same_bytes_again_into_a_reused_buffer()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer, RecordBodyWriter.WriterOptions);
        foreach (var sequence in new[] { 17, 4_321, 17 })
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            Writer.WriteRecord(writer, sequence);
            writer.Flush();
            Assert.Equal(Writer.RecordBytes(sequence), buffer.WrittenSpan.ToArray());
        }
    }
}
