using System.Net;
using System.Text;
using System.Text.Json;
using Kontakt.Core.Records;
using Kontakt.Core.Temporal;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Temporal;

/// <summary>
/// A spreadsheet runs a cell that starts with = + - @ tab or CR as a formula. The public CSV export
/// must never hold one: true by the color vocabulary, checked here over all of it and end to end.
/// </summary>
public sealed class CsvExportSafetyTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    private readonly HttpClient _client = fixture.Client;

    // Every kind of color a record may carry, spelled as a client might.
    private static readonly string?[] ColorKinds =
        ["MediumSpringGreen", "sky  BLUE", "Robin's Egg Blue", "blue/green", "#ABC", "#00ff7F", " teal ", null];

    private static void AssertNoFormula(string cell) =>
        Assert.False(cell.Length > 0 && FormulaStarts.Contains(cell[0]), $"a CSV cell starts with U+{(cell.Length > 0 ? (int)cell[0] : 0):X4}");

    [Fact]
    public void No_color_of_the_vocabulary_starts_like_a_formula_or_needs_quoting()
    {
        Assert.All(ColorVocabulary.Default.Names, color =>
        {
            AssertNoFormula(color.Name);
            Assert.True(color.Name.AsSpan().IndexOfAny(",\"\r\n") < 0, "a vocabulary name needs CSV quoting");
        });
    }

    [Fact]
    public void Every_cell_the_row_writer_makes_from_the_vocabulary_is_safe()
    {
        using var rows = new SnapshotRowWriter(SnapshotFormat.Csv);
        foreach (var color in ColorVocabulary.Default.Names)
        {
            rows.Write(Guid.NewGuid(), color.Name);
        }
        rows.Write(Guid.NewGuid(), "#a0b1c2");
        rows.Write(Guid.NewGuid(), null);

        var lines = ParseCsv(Encoding.UTF8.GetString(rows.Buffered.Span));
        Assert.Equal(ColorVocabulary.Default.Names.Count + 3, lines.Count);
        Assert.All(lines.SelectMany(cells => cells), AssertNoFormula);
        Assert.Equal([.. ColorVocabulary.Default.Names.Select(n => n.Name), "#a0b1c2", ""], lines.Skip(1).Select(cells => cells[1]));
    }

    [Fact]
    public void The_row_writer_still_quotes_a_cell_that_needs_it()
    {
        using var rows = new SnapshotRowWriter(SnapshotFormat.Csv);
        var id = Guid.NewGuid();
        rows.Write(id, "say \"red\", twice");
        Assert.Equal($"patientId,favoriteColor\r\n{id},\"say \"\"red\"\", twice\"\r\n", Encoding.UTF8.GetString(rows.Buffered.Span));
    }

    [Fact]
    public async Task A_csv_snapshot_with_every_color_of_the_vocabulary_and_every_kind_of_spelling_has_no_formula_cell()
    {
        var records = ColorVocabulary.Default.Names.Select(n => ApiJson.Record(TestRecords.UniqueName(), color: n.Name.ToUpperInvariant()))
            .Concat(ColorKinds.Select(color => ApiJson.Record(TestRecords.UniqueName(), color: color)))
            .ToArray();
        var stored = await _client.PostJsonTextAsync("/v1/records/batch", JsonSerializer.Serialize(records));
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);

        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/snapshots/public");
        request.Headers.Add("Accept", "text/csv");
        var csv = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var lines = ParseCsv(await csv.Content.ReadAsStringAsync());

        Assert.All(lines.SelectMany(cells => cells), AssertNoFormula);
        var colors = lines.Skip(1).Select(cells => cells[1]).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(ColorVocabulary.Default.Names.Select(n => n.Name).ToHashSet(StringComparer.Ordinal), colors);
        Assert.Superset(
            new HashSet<string>(["mediumspringgreen", "sky blue", "robin's egg blue", "blue/green", "#abc", "#00ff7f", "teal", ""], StringComparer.Ordinal), colors);
    }

    // RFC 4180: CRLF line ends, fields optionally in double quotes with "" for a quote.
    private static List<string[]> ParseCsv(string text)
    {
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        var lines = new List<string[]>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when cell.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    lines.Add([.. cells]);
                    cells.Clear();
                    i++;
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }
        Assert.All(lines, cells => Assert.Equal(2, cells.Length));
        return lines;
    }
}
