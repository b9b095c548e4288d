using System.Diagnostics;
using System.Net;
using Kontakt.Tests.Faults;
using Kontakt.Tests.Hl7;
using Kontakt.Tests.Support;
using Xunit.Abstractions;

namespace Kontakt.Tests.ScaleOut;

/// <summary>scripts/run-replicas.sh: two API processes behind haproxy, one of them killed under load.</summary>
[Collection(FaultTests.Name)]
public sealed class ReplicaDeploymentTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan TakenOutWithin = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Killing_one_replica_under_load_loses_nothing_acknowledged_and_the_balancer_takes_it_out_within_two_seconds()
    {
        await using var deployment = await ReplicaDeployment.StartAsync(database, replicas: 2);
        var load = IngestLoad.Start(() => deployment.Client, clients: 16, respondAsync: false, prefix: "replica-kill");
        await FaultTests.AcknowledgedAsync(load, 500);

        Signals.Send(deployment.ReplicaPid(1), Signals.Kill);
        var killed = Stopwatch.StartNew();
        // Each poll is timed from when it is sent: on a machine this loaded an answer can come seconds later, but
        // only a poll sent after the bound may no longer find the killed replica in service.
        var lastInService = TimeSpan.Zero;
        while (true)
        {
            var sentAt = killed.Elapsed;
            var states = await deployment.ServerStatesAsync();
            if (states.GetValueOrDefault("replica-1", "").StartsWith("DOWN", StringComparison.Ordinal))
            {
                break;
            }
            if (states.Count > 0)
            {
                lastInService = sentAt;
            }
            Assert.True(killed.Elapsed < TimeSpan.FromSeconds(30), "the balancer never took the killed replica out");
            await Task.Delay(50);
        }
        var takenOut = killed.Elapsed;

        var beforeSurvivorOnly = load.Acknowledged.Count;
        await FaultTests.AcknowledgedAsync(load, beforeSurvivorOnly + 500);
        await load.DisposeAsync();

        var acknowledged = load.Acknowledged;
        var stored = await FaultTests.StoredAsync(database, acknowledged);
        output.WriteLine($"replica killed: still in service in a poll sent after {lastInService.TotalMilliseconds:0} ms, out by {takenOut.TotalMilliseconds:0} ms; {acknowledged.Count} answered 201 of {load.Attempts} attempts, {stored} stored");
        Assert.Equal(acknowledged.Count, stored);
        Assert.True(lastInService <= TakenOutWithin, $"the balancer still had the killed replica in service {lastInService.TotalMilliseconds:0} ms after the kill");
        Assert.Equal(HttpStatusCode.OK, (await deployment.Client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Hl7_messages_reach_the_replicas_through_the_balancer_and_a_retransmission_on_another_connection_is_stored_once()
    {
        await using var deployment = await ReplicaDeployment.StartAsync(database, replicas: 2);
        var controlId = AdtMessages.NewControlId();
        var message = AdtMessages.Build(controlId: controlId, pid5: "Balancer^" + TestRecords.UniqueName("Hl7").Replace(" ", "", StringComparison.Ordinal));

        // leastconn with one connection each: the two connections go to different replicas.
        await using var first = await MllpTestClient.ConnectAsync(deployment.MllpPort);
        await using var second = await MllpTestClient.ConnectAsync(deployment.MllpPort);
        Assert.Contains("MSA|AA|" + controlId, await first.ExchangeAsync(message), StringComparison.Ordinal);
        Assert.Contains("MSA|AA|" + controlId, await second.ExchangeAsync(message), StringComparison.Ordinal);

        Assert.Equal(1, await database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.records WHERE record_id LIKE @suffix", ("suffix", "%:" + controlId)));
    }
}
