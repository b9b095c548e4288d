using System.Text;
using Kontakt.Core.Hl7;
using Kontakt.Core.Records;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Hl7;

public sealed class MllpListenerTests(MllpFixture fixture) : IClassFixture<MllpFixture>
{
    private readonly TestDatabase _database = fixture.Database;

    private Task<MllpTestClient> ConnectAsync() => MllpTestClient.ConnectAsync(fixture.Port);

    private static string UniqueFamily() => "Family" + Guid.NewGuid().ToString("N")[..12];

    private Task<long> StoredAsync(string recordId) =>
        _database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = @id", ("id", recordId));

    private Task<Guid> PatientOfAsync(string recordId) =>
        _database.ScalarAsync<Guid>(
            "SELECT p.patient_id FROM phi.records r JOIN phi.patients p USING (patient_key) WHERE r.record_id = @id", ("id", recordId));

    private async Task AssertStillServesAsync()
    {
        await using var client = await ConnectAsync();
        var controlId = AdtMessages.NewControlId();
        var ack = ParsedAck.From(await client.ExchangeAsync(AdtMessages.Build(controlId: controlId, pid5: UniqueFamily() + "^Ada")));
        Assert.Equal("AA", ack.Code);
        Assert.Equal(controlId, ack.ControlId);
    }

    [Fact]
    public async Task An_ADT_message_is_answered_AA_only_once_its_record_is_committed()
    {
        var controlId = AdtMessages.NewControlId();
        var family = UniqueFamily();
        await using var client = await ConnectAsync();
        var ack = ParsedAck.From(await client.ExchangeAsync(AdtMessages.Build(trigger: "A04", controlId: controlId, pid5: $"{family}^Ada^Augusta^^Lady", color: "Sky Blue")));

        Assert.Equal("AA", ack.Code);
        Assert.Equal(controlId, ack.ControlId);
        Assert.Contains("|ACK^A04^ACK|", ack.Text, StringComparison.Ordinal);
        var recordId = Hl7RecordId.From("EPIC", "NORTH", controlId);
        var stored = await _database.ListAsync("SELECT name, dob, favorite_color FROM phi.records WHERE record_id = @id",
            r => (r.GetString(0), r.GetFieldValue<DateOnly>(1), r.GetString(2)), ("id", recordId));
        Assert.Equal([($"Ada Augusta {family}", new DateOnly(1985, 12, 10), "Sky Blue")], stored);
        // MLLP carries no key: its records are the interface channels' client's, a name no key may take.
        Assert.Equal(RecordClients.Interfaces, await _database.ScalarAsync<string>("SELECT client FROM phi.records WHERE record_id = @id", ("id", recordId)));
        var publicColor = await _database.ScalarAsync<string>(
            "SELECT pp.favorite_color FROM public_store.patients pp WHERE pp.patient_id = @id", ("id", await PatientOfAsync(recordId)));
        Assert.Equal("sky blue", publicColor);
    }

    [Fact]
    public async Task A_retransmitted_message_is_stored_once_and_answered_AA_again()
    {
        var controlId = AdtMessages.NewControlId();
        var message = AdtMessages.Build(controlId: controlId, pid5: UniqueFamily() + "^Ada");
        await using (var first = await ConnectAsync())
        {
            Assert.Equal("AA", ParsedAck.From(await first.ExchangeAsync(message)).Code);
        }
        await using var second = await ConnectAsync();
        Assert.Equal("AA", ParsedAck.From(await second.ExchangeAsync(message)).Code);
        Assert.Equal("AA", ParsedAck.From(await second.ExchangeAsync(message)).Code);
        Assert.Equal(1, await StoredAsync(Hl7RecordId.From("EPIC", "NORTH", controlId)));
    }

    [Fact]
    public async Task A_control_ID_reused_for_another_person_is_AE_205_and_stores_nothing_new()
    {
        var controlId = AdtMessages.NewControlId();
        await using var client = await ConnectAsync();
        Assert.Equal("AA", ParsedAck.From(await client.ExchangeAsync(AdtMessages.Build(controlId: controlId, pid5: UniqueFamily() + "^Ada"))).Code);
        var reused = ParsedAck.From(await client.ExchangeAsync(AdtMessages.Build(controlId: controlId, pid5: UniqueFamily() + "^Bob")));
        Assert.Equal("AE", reused.Code);
        Assert.Equal(["205"], reused.ErrorCodes);
        Assert.Equal(1, await StoredAsync(Hl7RecordId.From("EPIC", "NORTH", controlId)));
    }

    [Fact]
    public async Task The_same_person_via_HL7_and_a_JSON_record_gets_the_same_patient_ID()
    {
        var family = UniqueFamily();
        var created = await (await fixture.Client.PostRecordAsync(ApiJson.Record($"Ada Augusta {family}", dob: "1985-12-10", color: null))).JsonAsync();
        var jsonPatient = Guid.Parse(created.GetProperty("patientId").GetString()!);

        var controlId = AdtMessages.NewControlId();
        await using var client = await ConnectAsync();
        var message = AdtMessages.Build(controlId: controlId, pid5: $"Byron^Ada^^^^^M~{family.ToUpperInvariant()}^ADA^AUGUSTA^III^Dr.^^L", pid7: "198512100930+0100");
        Assert.Equal("AA", ParsedAck.From(await client.ExchangeAsync(message)).Code);

        Assert.Equal(jsonPatient, await PatientOfAsync(Hl7RecordId.From("EPIC", "NORTH", controlId)));
    }

    [Theory]
    [InlineData("", "19851210", "101")]
    [InlineData("Lovelace^Ada", "", "101")]
    [InlineData("Lovelace^Ada", "19851340", "102")]
    [InlineData("Lovelace^Ada", "19851210", "103", "plaid")]
    public async Task Content_errors_are_AE_with_ERR_and_store_nothing(string pid5, string pid7, string code, string color = "green")
    {
        var controlId = AdtMessages.NewControlId();
        await using var client = await ConnectAsync();
        var ack = ParsedAck.From(await client.ExchangeAsync(AdtMessages.Build(controlId: controlId, pid5: pid5, pid7: pid7, color: color)));
        Assert.Equal("AE", ack.Code);
        Assert.Equal(controlId, ack.ControlId);
        Assert.Equal([code], ack.ErrorCodes);
        Assert.DoesNotContain("Lovelace", ack.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("plaid", ack.Text, StringComparison.Ordinal);
        Assert.Equal(0, await StoredAsync(Hl7RecordId.From("EPIC", "NORTH", controlId)));
    }

    [Theory]
    [InlineData("ORU", "A01", "P", "2.5.1", "200")]
    [InlineData("ADT", "A03", "P", "2.5.1", "201")]
    [InlineData("ADT", "A01", "T", "2.5.1", "202")]
    [InlineData("ADT", "A01", "P", "2.2", "203")]
    public async Task Unsupported_type_event_processing_ID_or_version_is_AR(string type, string trigger, string processingId, string version, string code)
    {
        var controlId = AdtMessages.NewControlId();
        await using var client = await ConnectAsync();
        var ack = ParsedAck.From(await client.ExchangeAsync(
            AdtMessages.Build(type: type, trigger: trigger, processingId: processingId, version: version, controlId: controlId)));
        Assert.Equal("AR", ack.Code);
        Assert.Equal([code], ack.ErrorCodes);
        Assert.Equal(0, await StoredAsync(Hl7RecordId.From("EPIC", "NORTH", controlId)));
    }

    [Fact]
    public async Task Messages_sent_back_to_back_on_one_connection_are_answered_in_order()
    {
        var ids = Enumerable.Range(0, 3).Select(_ => AdtMessages.NewControlId()).ToArray();
        await using var client = await ConnectAsync();
        await client.SendBytesAsync(ids.SelectMany(id => MllpTestClient.Frame(AdtMessages.Build(controlId: id, pid5: UniqueFamily() + "^Ada"))).ToArray());
        foreach (var id in ids)
        {
            var ack = ParsedAck.From((await client.ReceiveAsync())!);
            Assert.Equal(("AA", id), (ack.Code, ack.ControlId));
        }
    }

    [Fact]
    public async Task Many_connections_are_served_at_once()
    {
        var senders = Enumerable.Range(0, 16).Select(async _ =>
        {
            await using var client = await ConnectAsync();
            for (var i = 0; i < 5; i++)
            {
                var id = AdtMessages.NewControlId();
                var ack = ParsedAck.From(await client.ExchangeAsync(AdtMessages.Build(controlId: id, pid5: UniqueFamily() + "^Ada")));
                Assert.Equal(("AA", id), (ack.Code, ack.ControlId));
            }
        });
        await Task.WhenAll(senders);
    }

    [Theory]
    [InlineData("garbage before the start byte")]
    [InlineData("a start byte inside a frame")]
    [InlineData("an end byte without CR")]
    [InlineData("a frame that is not HL7")]
    [InlineData("binary garbage")]
    public async Task Broken_framing_or_garbage_closes_that_connection_and_the_listener_serves_on(string fault)
    {
        var message = Encoding.UTF8.GetBytes(AdtMessages.Build(controlId: AdtMessages.NewControlId()));
        byte[] bytes = fault switch
        {
            "garbage before the start byte" => [.. "hello"u8, 0x0B, .. message, 0x1C, 0x0D],
            "a start byte inside a frame" => [0x0B, .. message[..20], 0x0B, .. message, 0x1C, 0x0D],
            "an end byte without CR" => [0x0B, .. message, 0x1C, (byte)'X'],
            "a frame that is not HL7" => [0x0B, .. "GET / HTTP/1.1\r\n\r\n"u8, 0x1C, 0x0D],
            _ => [0x00, 0xFF, 0xFE, 0x0B, 0x1C, 0x1C, 0x0D, 0x80],
        };
        await using var client = await ConnectAsync();
        await client.SendBytesAsync(bytes);
        Assert.True(await client.IsClosedByListenerAsync(TimeSpan.FromSeconds(10)), $"the listener kept a connection with {fault} open");
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_truncated_message_stores_nothing_and_the_listener_serves_on()
    {
        var controlId = AdtMessages.NewControlId();
        var frame = MllpTestClient.Frame(AdtMessages.Build(controlId: controlId, pid5: UniqueFamily() + "^Ada"));
        await using (var client = await ConnectAsync())
        {
            await client.SendBytesAsync(frame[..(frame.Length / 2)]);
        }
        await using (var client = await ConnectAsync())
        {
            await client.SendBytesAsync(frame[..^1]);
        }
        await AssertStillServesAsync();
        Assert.Equal(0, await StoredAsync(Hl7RecordId.From("EPIC", "NORTH", controlId)));
    }

    [Fact]
    public async Task A_1_MB_message_closes_its_connection_while_other_connections_are_served()
    {
        var controlId = AdtMessages.NewControlId();
        var huge = AdtMessages.Build(controlId: controlId) + "NTE|1||" + new string('x', 1_000_000) + "\r";
        await using var client = await ConnectAsync();
        var sending = client.SendAsync(huge);
        await AssertStillServesAsync();
        Assert.True(await client.IsClosedByListenerAsync(TimeSpan.FromSeconds(10)), "a message over the bound was not refused");
        try
        {
            await sending;
        }
        catch (IOException)
        {
            // The listener closed the connection while the rest was being sent: that is the point.
        }
        Assert.Equal(0, await StoredAsync(Hl7RecordId.From("EPIC", "NORTH", controlId)));
    }

    [Fact]
    public async Task A_slow_sender_trickling_byte_by_byte_gets_its_AA()
    {
        var controlId = AdtMessages.NewControlId();
        var frame = MllpTestClient.Frame(AdtMessages.Build(controlId: controlId, pid5: UniqueFamily() + "^Ada"));
        await using var client = await ConnectAsync();
        foreach (var b in frame)
        {
            await client.SendBytesAsync([b]);
            await Task.Delay(2);
        }
        var ack = ParsedAck.From((await client.ReceiveAsync())!);
        Assert.Equal(("AA", controlId), (ack.Code, ack.ControlId));
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_the_idle_timeout()
    {
        await using var client = await ConnectAsync();
        // Started before the message is sent, so before the listener's idle clock (which starts at its ACK),
        // however long this test's own continuation is kept waiting on a loaded machine.
        var idleSince = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal("AA", ParsedAck.From(await client.ExchangeAsync(AdtMessages.Build(controlId: AdtMessages.NewControlId(), pid5: UniqueFamily() + "^Ada"))).Code);
        Assert.True(await client.IsClosedByListenerAsync(MllpFixture.IdleTimeout * 5), "an idle connection was never closed");
        Assert.True(idleSince.Elapsed >= MllpFixture.IdleTimeout - TimeSpan.FromMilliseconds(100), $"closed after {idleSince.Elapsed}, before the idle timeout");
    }

    [Fact]
    public async Task Random_bytes_never_crash_the_listener_and_a_good_message_still_gets_AA()
    {
        var random = new Random(20261202);
        var valid = Encoding.UTF8.GetBytes(AdtMessages.Build(controlId: "FUZZ"));
        var rounds = Enumerable.Range(0, 200).Select(round =>
        {
            // A third pure noise, a third noise inside a frame, a third a real message with bytes flipped.
            byte[] payload;
            switch (round % 3)
            {
                case 0:
                    payload = new byte[random.Next(1, 4096)];
                    random.NextBytes(payload);
                    break;
                case 1:
                    var noise = new byte[random.Next(0, 4096)];
                    random.NextBytes(noise);
                    payload = [0x0B, .. "MSH|^~\\&|"u8, .. noise, 0x1C, 0x0D];
                    break;
                default:
                    var mutated = valid.ToArray();
                    for (var i = 0; i < random.Next(1, 8); i++)
                    {
                        mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                    }
                    payload = [0x0B, .. mutated, 0x1C, 0x0D];
                    break;
            }
            return payload;
        }).ToList();

        await Parallel.ForEachAsync(rounds, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (payload, _) =>
        {
            await using var client = await ConnectAsync();
            try
            {
                await client.SendBytesAsync(payload);
                // Whatever it answers (an ACK) or does (close), it must do it promptly or wait for more.
                var answer = await client.ReceiveAsync(TimeSpan.FromMilliseconds(500));
                if (answer is not null)
                {
                    Assert.StartsWith("MSH", answer, StringComparison.Ordinal);
                }
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException)
            {
            }
        });

        await AssertStillServesAsync();
    }
}
