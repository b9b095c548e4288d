using System.Globalization;
using System.Text.Json;
using Kontakt.Core.Hl7;
using Kontakt.Tests.Hl7;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Imports;

/// <summary><c>*.hl7</c> files delivered into the drop folder are imported as HL7 v2 ADT messages, alongside the MLLP listener.</summary>
public sealed class Hl7DropFolderTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kontakt-drop-hl7-" + Guid.NewGuid().ToString("N"));
    private readonly int _mllpPort = FreePorts.Next();
    private KontaktApiFactory _factory = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Kontakt:DropFolder:Path"] = _folder,
            ["Kontakt:DropFolder:StableFor"] = "00:00:00.300",
            ["Kontakt:DropFolder:PollInterval"] = "00:00:00.100",
            ["Kontakt:Imports:PollInterval"] = "00:00:00.100",
            ["Kontakt:Hl7:MllpPort"] = _mllpPort.ToString(CultureInfo.InvariantCulture),
        });
        _factory.CreateClient().Dispose();
        await Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static string UniqueFamily() => "Family" + Guid.NewGuid().ToString("N")[..12];

    // Upload-then-rename, as an SFTP partner is told to: the dot name is never taken half-written.
    private async Task DeliverAsync(string name, string content)
    {
        var partial = Path.Combine(_folder, "." + name + ".part");
        await File.WriteAllTextAsync(partial, content);
        File.Move(partial, Path.Combine(_folder, name));
    }

    private async Task<string> ProcessedReportAsync(string name)
    {
        var report = Path.Combine(_folder, "processed", name + ".errors.ndjson");
        // The file moves last, after its report is whole: wait for the file, then the report must be there.
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(_folder, "processed", name)), ImportRequests.JobDeadline, $"{name} never reached processed/");
        Assert.True(File.Exists(report));
        Assert.False(File.Exists(Path.Combine(_folder, name)));
        return await File.ReadAllTextAsync(report);
    }

    private Task<long> StoredAsync(string controlId) =>
        database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = @id", ("id", Hl7RecordId.From("EPIC", "NORTH", controlId)));

    [Fact]
    public async Task A_batch_file_is_imported_and_its_bad_message_is_reported_by_line_and_HL7_field_without_values()
    {
        var ids = Enumerable.Range(0, 4).Select(_ => AdtMessages.NewControlId()).ToArray();
        var content = "FHS|^~\\&|EPIC|NORTH\nBHS|^~\\&|EPIC|NORTH\n"
            + AdtMessages.Build(controlId: ids[0], pid5: UniqueFamily() + "^Ada", segmentEnd: "\n")
            + AdtMessages.Build(controlId: ids[1], pid5: UniqueFamily() + "^Bob", segmentEnd: "\n")
            + AdtMessages.Build(controlId: ids[2], pid5: "Secretname^Eve", pid7: "19130230", segmentEnd: "\n")
            + AdtMessages.Build(controlId: ids[3], pid5: UniqueFamily() + "^Cy", version: "2.1", segmentEnd: "\n")
            + "BTS|4\nFTS|1\n";
        var name = Guid.NewGuid().ToString("N") + ".hl7";

        await DeliverAsync(name, content);

        var report = await ProcessedReportAsync(name);
        var errors = report.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("field").GetString())).ToArray();
        // FHS and BHS are lines 1 and 2; each message has six segments.
        Assert.Equal([(15, "PID-7"), (21, "MSH-12.1")], errors);
        Assert.DoesNotContain("Secretname", report, StringComparison.Ordinal);
        Assert.DoesNotContain("19130230", report, StringComparison.Ordinal);
        Assert.Equal(new long[] { 1, 1, 0, 0 }, await Task.WhenAll(ids.Select(StoredAsync)));
    }

    [Fact]
    public async Task An_MLLP_framed_file_is_imported()
    {
        var ids = new[] { AdtMessages.NewControlId(), AdtMessages.NewControlId() };
        var content = string.Concat(ids.Select(id => $"\v{AdtMessages.Build(controlId: id, pid5: UniqueFamily() + "^Ada")}\u001c\r"));
        var name = Guid.NewGuid().ToString("N") + ".HL7";

        await DeliverAsync(name, content);

        Assert.Equal("", (await ProcessedReportAsync(name)).Trim());
        Assert.Equal(new long[] { 1, 1 }, await Task.WhenAll(ids.Select(StoredAsync)));
    }

    [Fact]
    public async Task A_message_received_over_MLLP_and_again_in_a_file_is_stored_once()
    {
        var controlId = AdtMessages.NewControlId();
        var message = AdtMessages.Build(controlId: controlId, pid5: UniqueFamily() + "^Ada");
        await using (var client = await MllpTestClient.ConnectAsync(_mllpPort))
        {
            Assert.Equal("AA", ParsedAck.From(await client.ExchangeAsync(message)).Code);
        }
        var name = Guid.NewGuid().ToString("N") + ".hl7";

        await DeliverAsync(name, message);

        Assert.Equal("", (await ProcessedReportAsync(name)).Trim());
        Assert.Equal(1, await StoredAsync(controlId));
    }

    [Fact]
    public async Task A_file_still_under_a_dot_name_is_left_alone_until_it_is_renamed()
    {
        var controlId = AdtMessages.NewControlId();
        var name = Guid.NewGuid().ToString("N") + ".hl7";
        var uploading = Path.Combine(_folder, "." + name);
        await File.WriteAllTextAsync(uploading, AdtMessages.Build(controlId: controlId, pid5: UniqueFamily() + "^Ada"));
        var marker = Guid.NewGuid().ToString("N") + ".hl7";
        await DeliverAsync(marker, AdtMessages.Build(controlId: AdtMessages.NewControlId(), pid5: UniqueFamily() + "^Bob"));
        await ProcessedReportAsync(marker);
        Assert.True(File.Exists(uploading));
        Assert.Equal(0, await StoredAsync(controlId));

        File.Move(uploading, Path.Combine(_folder, name));

        await ProcessedReportAsync(name);
        Assert.Equal(1, await StoredAsync(controlId));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_file_uploaded_over_SFTP_under_a_dot_name_and_renamed_is_imported()
    {
        await using var sftp = await SftpServer.StartAsync();
        var controlId = AdtMessages.NewControlId();
        var local = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".hl7");
        await File.WriteAllTextAsync(local, AdtMessages.Build(controlId: controlId, pid5: UniqueFamily() + "^Ada"));
        var name = Guid.NewGuid().ToString("N") + ".hl7";
        try
        {
            await sftp.RunBatchAsync($"put {local} {_folder}/.{name}.tmp", $"rename {_folder}/.{name}.tmp {_folder}/{name}");
        }
        finally
        {
            File.Delete(local);
        }

        Assert.Equal("", (await ProcessedReportAsync(name)).Trim());
        Assert.Equal(1, await StoredAsync(controlId));
        // ForceCommand internal-sftp -u 0027: what a partner uploads is not readable by others.
        var mode = File.GetUnixFileMode(Path.Combine(_folder, "processed", name));
        Assert.Equal((UnixFileMode)0, mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite));
    }
}
