using System.Text;
using Kontakt.Core.Hl7;
using Kontakt.Core.Imports;
using Kontakt.Core.Records;
using Kontakt.Tests.Hl7;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Imports;

public sealed class Hl7ImportFormatTests
{
    private static readonly RecordValidator Validator = new(new FixedClock(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero)));
    private readonly Hl7ImportFormat _format = new(new AdtRecordMapper(Validator), Validator);

    private async Task<List<ImportItem>> ReadAsync(string content)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        var items = new List<ImportItem>();
        await foreach (var item in _format.ReadAsync(stream, new ImportFormatOptions(), CancellationToken.None))
        {
            items.Add(item);
        }
        return items;
    }

    private static string Lf(string message) => message.Replace('\r', '\n');

    [Fact]
    public void It_is_named_hl7_and_not_uploadable_by_media_type()
    {
        Assert.Equal("hl7", _format.Name);
        Assert.Null(_format.MediaType);
        Assert.Null(new ImportFormats([_format]).ByMediaType("application/hl7-v2"));
    }

    [Fact]
    public async Task A_batch_file_yields_one_item_per_message_at_the_line_of_its_MSH_with_the_HL7_recordId()
    {
        var content = "FHS|^~\\&|EPIC|NORTH\nBHS|^~\\&|EPIC|NORTH\n"
            + Lf(AdtMessages.Build(controlId: "M1")) + Lf(AdtMessages.Build(controlId: "M2", pid5: "Hopper^Grace^Brewster^^Rear Adm."))
            + "BTS|2\nFTS|1\n";

        var items = await ReadAsync(content);

        Assert.Equal([3L, 9L], items.Select(i => i.Line));
        Assert.All(items, i => Assert.Null(i.Errors));
        Assert.Equal([Hl7RecordId.From("EPIC", "NORTH", "M1"), Hl7RecordId.From("EPIC", "NORTH", "M2")], items.Select(i => i.Record!.RecordId));
        Assert.Equal(("Ada Lovelace", "1985-12-10", "green"), (items[0].Record!.Name, items[0].Record!.Dob, items[0].Record!.FavoriteColor));
        Assert.Equal("Grace Brewster Hopper", items[1].Record!.Name);
    }

    [Fact]
    public async Task MLLP_framed_messages_are_read_like_a_capture_of_the_listener()
    {
        var content = $"\v{AdtMessages.Build(controlId: "F1")}\u001c\r\v{AdtMessages.Build(controlId: "F2")}\u001c\r";

        var items = await ReadAsync(content);

        Assert.Equal([Hl7RecordId.From("EPIC", "NORTH", "F1"), Hl7RecordId.From("EPIC", "NORTH", "F2")], items.Select(i => i.Record!.RecordId));
        // Six segments, each ending with CR, then the frame end and its CR: the second message starts on line 8.
        Assert.Equal([1L, 8L], items.Select(i => i.Line));
    }

    [Fact]
    public async Task Content_errors_name_the_HL7_field_and_never_the_value()
    {
        var content = Lf(AdtMessages.Build(controlId: "E1", pid7: "Secretdate"))
            + Lf(AdtMessages.Build(controlId: "E2", pid7: "18000101"))
            + Lf(AdtMessages.Build(controlId: "E3", color: "Secretcolor"));

        var items = await ReadAsync(content);

        Assert.All(items, i => Assert.Null(i.Record));
        Assert.Equal([(1L, "PID-7"), (7L, "PID-7"), (13L, "OBX[2]-5")], items.Select(i => (i.Line, i.Errors!.Single().Field)));
        Assert.All(items.SelectMany(i => i.Errors!), e => Assert.DoesNotContain("Secret", e.Message, StringComparison.Ordinal));
        Assert.DoesNotContain("1800", items[1].Errors!.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_Kontakt_does_not_accept_are_errors_of_their_line()
    {
        var content = Lf(AdtMessages.Build(controlId: "R1", version: "2.1"))
            + Lf(AdtMessages.Build(controlId: "R2", type: "ORU", trigger: "R01"))
            + Lf(AdtMessages.Build(controlId: "R3"));

        var items = await ReadAsync(content);

        Assert.Equal([(1L, "MSH-12.1"), (7L, "MSH-9.1")], items.Take(2).Select(i => (i.Line, i.Errors!.Single().Field)));
        Assert.NotNull(items[2].Record);
    }

    [Fact]
    public async Task Segments_before_any_MSH_are_an_error_of_the_whole_line()
    {
        var items = await ReadAsync("PID|1||x||Secretname^Ada||19851210\n" + Lf(AdtMessages.Build(controlId: "S1")));

        Assert.Equal((1L, "$"), (items[0].Line, items[0].Errors!.Single().Field));
        Assert.DoesNotContain("Secret", items[0].Errors!.Single().Message, StringComparison.Ordinal);
        Assert.Equal(2L, items[1].Line);
        Assert.NotNull(items[1].Record);
    }
}
