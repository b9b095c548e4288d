using System.Globalization;
using Kontakt.Core.Hl7;
using Kontakt.Core.Ingest;
using Kontakt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kontakt.Tests.Hl7;

public sealed class MllpBackpressureTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_full_queue_is_answered_AR_207_and_stores_nothing_while_acknowledged_messages_are_committed()
    {
        var port = FreePorts.Next();
        await using var factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Kontakt:Ingest:QueueCapacity"] = "10",
            ["Kontakt:Ingest:EnqueueTimeout"] = "00:00:00.050",
            ["Kontakt:Ingest:Writers"] = "1",
            ["Kontakt:Hl7:MllpPort"] = port.ToString(CultureInfo.InvariantCulture),
        });
        using var http = factory.CreateClient();
        var stall = await CommitStall.HoldAsync(database.ConnectionString);

        // Ten senders fill the queue and wait for their commit, which the stall holds back.
        var waiting = new List<(MllpTestClient Client, string ControlId)>();
        for (var i = 0; i < 10; i++)
        {
            var client = await MllpTestClient.ConnectAsync(port);
            var controlId = AdtMessages.NewControlId();
            await client.SendAsync(AdtMessages.Build(controlId: controlId, pid5: $"Queue{i}{Guid.NewGuid():N}^Ada"));
            waiting.Add((client, controlId));
        }
        var queue = factory.Services.GetRequiredService<IngestQueue>();
        await Eventually.TrueAsync(() => queue.PendingRecords == 10, TimeSpan.FromSeconds(15), "the ten messages never filled the queue");

        var overControlId = AdtMessages.NewControlId();
        await using (var over = await MllpTestClient.ConnectAsync(port))
        {
            var rejected = ParsedAck.From(await over.ExchangeAsync(AdtMessages.Build(controlId: overControlId, pid5: $"Over{Guid.NewGuid():N}^Ada")));
            Assert.Equal(("AR", overControlId), (rejected.Code, rejected.ControlId));
            Assert.Equal(["207"], rejected.ErrorCodes);
        }

        await stall.DisposeAsync();
        foreach (var (client, controlId) in waiting)
        {
            var ack = ParsedAck.From((await client.ReceiveAsync())!);
            Assert.Equal(("AA", controlId), (ack.Code, ack.ControlId));
            await client.DisposeAsync();
        }
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = @id",
            ("id", Hl7RecordId.From("EPIC", "NORTH", overControlId))));
        Assert.Equal(waiting.Count, await database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = ANY(@ids)",
            ("ids", waiting.Select(w => Hl7RecordId.From("EPIC", "NORTH", w.ControlId)).ToArray())));
    }

    [Fact]
    public async Task A_message_waiting_for_its_commit_at_shutdown_is_committed_and_answered_AA()
    {
        var port = FreePorts.Next();
        var factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Kontakt:Ingest:Writers"] = "1",
            ["Kontakt:Hl7:MllpPort"] = port.ToString(CultureInfo.InvariantCulture),
        });
        using var http = factory.CreateClient();
        var stall = await CommitStall.HoldAsync(database.ConnectionString);
        await using var client = await MllpTestClient.ConnectAsync(port);
        var controlId = AdtMessages.NewControlId();
        await client.SendAsync(AdtMessages.Build(controlId: controlId, pid5: $"Shutdown{Guid.NewGuid():N}^Ada"));
        await stall.WaitForWritersAsync(1);

        var stopping = factory.DisposeAsync().AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(stopping.IsCompleted, "the service stopped without waiting for the message's commit");
        await stall.DisposeAsync();

        var ack = ParsedAck.From((await client.ReceiveAsync())!);
        Assert.Equal(("AA", controlId), (ack.Code, ack.ControlId));
        await stopping;
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = @id",
            ("id", Hl7RecordId.From("EPIC", "NORTH", controlId))));
    }

    [Fact]
    public async Task Connections_beyond_the_limit_are_closed_at_once_and_a_freed_place_serves_again()
    {
        var port = FreePorts.Next();
        await using var factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Kontakt:Hl7:MllpPort"] = port.ToString(CultureInfo.InvariantCulture),
            ["Kontakt:Hl7:MaxConnections"] = "2",
        });
        using var http = factory.CreateClient();
        var first = await MllpTestClient.ConnectAsync(port);
        await using var second = await MllpTestClient.ConnectAsync(port);
        foreach (var client in new[] { first, second })
        {
            var ack = ParsedAck.From(await client.ExchangeAsync(AdtMessages.Build(controlId: AdtMessages.NewControlId(), pid5: $"Limit{Guid.NewGuid():N}^Ada")));
            Assert.Equal("AA", ack.Code);
        }

        await using (var third = await MllpTestClient.ConnectAsync(port))
        {
            Assert.True(await third.IsClosedByListenerAsync(TimeSpan.FromSeconds(10)), "a connection over the limit was kept open");
        }

        await first.DisposeAsync();
        await Eventually.TrueAsync(async () =>
        {
            await using var next = await MllpTestClient.ConnectAsync(port);
            await next.SendAsync(AdtMessages.Build(controlId: AdtMessages.NewControlId(), pid5: $"Limit{Guid.NewGuid():N}^Ada"));
            return await next.ReceiveAsync(TimeSpan.FromSeconds(10)) is { } answer && ParsedAck.From(answer).Code == "AA";
        }, TimeSpan.FromSeconds(20), "the place of a closed connection was never given to a new one");
    }
}
