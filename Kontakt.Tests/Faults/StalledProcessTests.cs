using System.Net;
using Kontakt.Tests.Support;
using Xunit.Abstractions;

namespace Kontakt.Tests.Faults;

/// <summary>One of two API processes frozen (SIGSTOP) in the middle of its work, as a GC pause or a partition would.</summary>
[Collection(FaultTests.Name)]
public sealed class StalledProcessTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_stopped_process_holds_nobody_up_and_loses_nothing_it_acknowledged()
    {
        await using var stalled = await ApiProcess.StartAsync(database);
        await using var healthy = await ApiProcess.StartAsync(database);
        var stalledLoad = IngestLoad.Start(() => stalled.Client, clients: 8, respondAsync: false, prefix: "stopped");
        var healthyLoad = IngestLoad.Start(() => healthy.Client, clients: 8, respondAsync: false, prefix: "running");
        await FaultTests.AcknowledgedAsync(stalledLoad, 300);
        await FaultTests.AcknowledgedAsync(healthyLoad, 300);

        stalled.Signal(Signals.Stop);
        try
        {
            // Whatever the frozen process held (the commit-order lock mid-batch included), the other keeps committing.
            var before = healthyLoad.Acknowledged.Count;
            await Eventually.TrueAsync(() => Task.FromResult(healthyLoad.Acknowledged.Count >= before + 500),
                TimeSpan.FromSeconds(45), "the running process stopped committing while the other was frozen");
            output.WriteLine($"SIGSTOP: {healthyLoad.Acknowledged.Count - before} records committed by the running process while the other was frozen");
        }
        finally
        {
            stalled.Signal(Signals.Continue);
        }

        await FaultTests.AcknowledgedAsync(stalledLoad, stalledLoad.Acknowledged.Count + 100);
        await stalledLoad.DisposeAsync();
        await healthyLoad.DisposeAsync();
        var acknowledged = stalledLoad.Acknowledged.Concat(healthyLoad.Acknowledged).ToArray();
        Assert.Equal(acknowledged.Length, await FaultTests.StoredAsync(database, acknowledged));
        Assert.Equal(HttpStatusCode.OK, await healthy.ReadyStatusAsync());
    }
}
