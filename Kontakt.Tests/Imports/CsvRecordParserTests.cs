using Kontakt.Core.Imports;

namespace Kontakt.Tests.Imports;

public sealed class CsvRecordParserTests
{
    private static List<CsvRecord> Parse(params string[] pieces)
    {
        var parser = new CsvRecordParser(100);
        var records = new List<CsvRecord>();
        foreach (var piece in pieces)
        {
            parser.Feed(piece, records);
        }
        parser.Finish(records);
        return records;
    }

    [Fact]
    public void Quoted_fields_split_across_pieces_parse_as_one_field()
    {
        var records = Parse("a,\"b,", "\"\"c\"\"", "\nd\",e\r", "\nf,g");
        Assert.Equal(2, records.Count);
        Assert.Equal(["a", "b,\"c\"\nd", "e"], records[0].Fields!);
        Assert.Equal(1, records[0].Line);
        Assert.Equal(["f", "g"], records[1].Fields!);
        Assert.Equal(3, records[1].Line);
    }

    [Fact]
    public void Blank_lines_are_no_records_but_keep_their_line_numbers()
    {
        var records = Parse("a,b\n\n\r\nc,d\n");
        Assert.Equal([1L, 4L], records.Select(r => r.Line));
    }

    [Fact]
    public void Empty_quoted_and_unquoted_fields_are_empty_strings()
    {
        Assert.Equal(["", "", "x"], Parse("\"\",,x").Single().Fields!);
    }

    [Fact]
    public void A_record_longer_than_the_bound_is_reported_and_the_next_one_is_read()
    {
        var records = Parse(new string('x', 150) + "\nok\n");
        Assert.Null(records[0].Fields!);
        Assert.Contains("longer than", records[0].Error, StringComparison.Ordinal);
        Assert.Equal(["ok"], records[1].Fields!);
    }

    [Fact]
    public void Text_after_a_closing_quote_and_an_unclosed_quote_are_errors()
    {
        var records = Parse("\"a\"b,c\n\"open");
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.NotNull(r.Error));
    }
}
