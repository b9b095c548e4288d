using System.Net;
using Kontakt.Tests.Support;
using Xunit.Abstractions;

namespace Kontakt.Tests.Faults;

/// <summary>The API process killed, terminated or duplicated while it takes records.</summary>
[Collection(FaultTests.Name)]
public sealed class ProcessCrashTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Kill_9_under_load_loses_no_record_answered_201()
    {
        var api = await ApiProcess.StartAsync(database);
        await using (api)
        {
            var load = IngestLoad.Start(() => api.Client, clients: 16, respondAsync: false, prefix: "kill9");
            await FaultTests.AcknowledgedAsync(load, 500);
            api.Signal(Signals.Kill);
            await api.WaitForExitAsync(TimeSpan.FromSeconds(10));
            await load.DisposeAsync();

            var acknowledged = load.Acknowledged;
            var stored = await FaultTests.StoredAsync(database, acknowledged);
            output.WriteLine($"kill -9: {acknowledged.Count} answered 201 of {load.Attempts} attempts, {stored} of them stored");
            Assert.Equal(acknowledged.Count, stored);
        }
    }

    [Fact]
    public async Task Sigterm_under_async_load_exits_cleanly_after_committing_every_202()
    {
        var api = await ApiProcess.StartAsync(database);
        await using (api)
        {
            var load = IngestLoad.Start(() => api.Client, clients: 16, respondAsync: true, prefix: "term");
            await FaultTests.AcknowledgedAsync(load, 2_000);
            api.Signal(Signals.Terminate);
            Assert.Equal(0, await api.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            await load.DisposeAsync();

            // A graceful stop drains the queue before the process ends: nothing is left to wait for.
            var acknowledged = load.Acknowledged;
            var stored = await FaultTests.StoredAsync(database, acknowledged);
            output.WriteLine($"SIGTERM: {acknowledged.Count} answered 202, {stored} of them stored");
            Assert.Equal(acknowledged.Count, stored);
        }
    }

    [Fact]
    public async Task Two_processes_racing_on_the_same_new_people_give_each_person_one_patient_id()
    {
        await using var first = await ApiProcess.StartAsync(database);
        await using var second = await ApiProcess.StartAsync(database);
        var people = Enumerable.Range(0, 300).Select(_ => TestRecords.UniqueName("Race")).ToArray();

        async Task<(string Name, string PatientId)> PostAsync(HttpClient client, string name)
        {
            using var response = await client.PostRecordAsync(ApiJson.Record(name, dob: "1970-01-02"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (name, (await response.JsonAsync()).GetProperty("patientId").GetString()!);
        }

        var answers = await Task.WhenAll(people.SelectMany(name => new[] { PostAsync(first.Client, name), PostAsync(second.Client, name) }));

        foreach (var person in answers.GroupBy(answer => answer.Name))
        {
            Assert.Single(person.Select(answer => answer.PatientId).Distinct());
        }
        Assert.Equal(people.Length, answers.Select(answer => answer.PatientId).Distinct().Count());
    }

    [Fact]
    public async Task A_record_the_database_refuses_fails_alone_and_the_rest_of_its_async_neighbours_are_stored()
    {
        await PoisonRecords.InstallAsync(database.ConnectionString);
        // One writer and a held commit lock gather all 200 records into one batch around the poison.
        await using var api = await ApiProcess.StartAsync(database, new Dictionary<string, string?> { ["Kontakt:Ingest:Writers"] = "1" });
        var stall = await CommitStall.HoldAsync(database.ConnectionString);
        var ids = Enumerable.Range(0, 200).Select(i => $"poison-{i}-{Guid.NewGuid():N}").ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            var name = i == 100 ? PoisonRecords.NamePrefix + Guid.NewGuid().ToString("N") : TestRecords.UniqueName("Neighbour");
            using var response = await api.Client.PostRecordAsync(ApiJson.Record(name, recordId: ids[i]), "respond-async");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        await stall.DisposeAsync();

        var neighbours = ids.Where((_, i) => i != 100).ToArray();
        await Eventually.TrueAsync(async () => await FaultTests.StoredAsync(database, neighbours) == neighbours.Length,
            FaultTests.CommitDeadline, "the poison record's neighbours were not all stored");
        Assert.Equal(0, await FaultTests.StoredAsync(database, [ids[100]]));
        Assert.Equal(HttpStatusCode.OK, await api.ReadyStatusAsync());
        Assert.DoesNotContain(PoisonRecords.NamePrefix, api.Output, StringComparison.Ordinal);
    }
}
