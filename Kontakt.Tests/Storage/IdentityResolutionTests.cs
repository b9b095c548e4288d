using Kontakt.Core.Records;
using Kontakt.Core.Storage;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Storage;

public sealed class IdentityResolutionTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private async Task<RecordResult[]> WriteAsync(params ValidatedRecord[] records)
    {
        await using var writer = new PostgresBatchWriter(database.DataSource);
        return (await writer.WriteAsync(records, CancellationToken.None)).Stored();
    }

    [Fact]
    public async Task A_new_person_gets_a_new_random_v4_patient_id()
    {
        var name = TestRecords.UniqueName();
        var result = Assert.Single(await WriteAsync(TestRecords.Valid(name)));
        Assert.True(result.NewPatient);
        Assert.Equal(4, result.PatientId.Version);
        Assert.Equal(0b10, result.PatientId.Variant >> 2);
    }

    [Fact]
    public async Task Case_and_spacing_variants_resolve_to_the_same_patient()
    {
        var stem = Guid.NewGuid().ToString("N");
        var first = (await WriteAsync(TestRecords.Valid($"Grace {stem} Hopper")))[0];
        var variants = await WriteAsync(
            TestRecords.Valid($"GRACE {stem.ToUpperInvariant()} HOPPER"),
            TestRecords.Valid($"  grace   {stem}\u00a0hopper "),
            TestRecords.Valid($"Ｇrace {stem} Hopper"));
        Assert.All(variants, v =>
        {
            Assert.Equal(first.PatientId, v.PatientId);
            Assert.False(v.NewPatient);
        });
    }

    [Fact]
    public async Task Same_name_with_another_dob_is_another_patient()
    {
        var name = TestRecords.UniqueName();
        var results = await WriteAsync(TestRecords.Valid(name, dob: "1970-01-01"), TestRecords.Valid(name, dob: "1970-01-02"));
        Assert.NotEqual(results[0].PatientId, results[1].PatientId);
        Assert.All(results, r => Assert.True(r.NewPatient));
    }

    [Fact]
    public async Task Accented_and_unaccented_names_are_different_patients()
    {
        var stem = Guid.NewGuid().ToString("N");
        var results = await WriteAsync(TestRecords.Valid($"José {stem}"), TestRecords.Valid($"Jose {stem}"));
        Assert.NotEqual(results[0].PatientId, results[1].PatientId);
    }

    [Fact]
    public async Task A_new_person_twice_in_one_batch_gets_one_id_and_only_the_first_record_is_new()
    {
        var name = TestRecords.UniqueName();
        var results = await WriteAsync(TestRecords.Valid(name, color: "red"), TestRecords.Valid(name.ToUpperInvariant(), color: "blue"), TestRecords.Valid(name, color: "blue"));
        Assert.Single(results.Select(r => r.PatientId).Distinct());
        Assert.Equal([true, false, false], results.Select(r => r.NewPatient));
        Assert.Equal(1, await database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.patients WHERE patient_id = @id", ("id", results[0].PatientId)));
    }

    [Fact]
    public async Task The_same_person_in_later_batches_keeps_the_id()
    {
        var name = TestRecords.UniqueName();
        var first = (await WriteAsync(TestRecords.Valid(name)))[0];
        var second = (await WriteAsync(TestRecords.Valid(name)))[0];
        Assert.Equal(first.PatientId, second.PatientId);
        Assert.False(second.NewPatient);
    }

    [Fact]
    public async Task Concurrent_writers_give_each_new_person_exactly_one_id()
    {
        var names = Enumerable.Range(0, 200).Select(_ => TestRecords.UniqueName("Concurrent")).ToArray();
        const int writers = 6;
        var tasks = Enumerable.Range(0, writers).Select(async w =>
        {
            await using var writer = new PostgresBatchWriter(database.DataSource);
            // Every writer sends every person, in its own order, so the new rows collide.
            var order = names.OrderBy(n => HashCode.Combine(n, w)).Select(n => TestRecords.Valid(w % 2 == 0 ? n : n.ToUpperInvariant())).ToArray();
            var results = (await writer.WriteAsync(order, CancellationToken.None)).Stored();
            return order.Zip(results, (record, result) => (record.NameKey, result));
        });
        var all = (await Task.WhenAll(tasks)).SelectMany(r => r).ToList();

        foreach (var person in all.GroupBy(r => r.NameKey))
        {
            Assert.Single(person.Select(p => p.result.PatientId).Distinct());
            Assert.Equal(1, person.Count(p => p.result.NewPatient));
        }
        var ids = all.Select(r => r.result.PatientId).Distinct().ToArray();
        Assert.Equal(names.Length, ids.Length);
        Assert.Equal(names.Length, await database.ScalarAsync<long>("SELECT count(*) FROM phi.patients WHERE patient_id = ANY(@ids)", ("ids", ids)));
        Assert.Equal(names.Length * writers, await database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.records r JOIN phi.patients p USING (patient_key) WHERE p.patient_id = ANY(@ids)", ("ids", ids)));
        await AssertStoresConsistentAsync();
    }

    [Fact]
    public async Task Returning_and_new_people_mixed_in_one_batch_resolve_and_publish_correctly()
    {
        var known = TestRecords.UniqueName();
        var first = (await WriteAsync(TestRecords.Valid(known, color: "red")))[0];
        var stranger = TestRecords.UniqueName();
        var results = await WriteAsync(
            TestRecords.Valid(stranger, color: "blue"),
            TestRecords.Valid(known.ToUpperInvariant(), color: "green"),
            TestRecords.Valid(stranger, color: "black"));

        Assert.Equal(first.PatientId, results[1].PatientId);
        Assert.Equal([true, false, false], results.Select(r => r.NewPatient));
        Assert.Equal(results[0].PatientId, results[2].PatientId);
        Assert.Equal("black", await database.ScalarAsync<string>("SELECT favorite_color FROM public_store.patients WHERE patient_id = @id", ("id", results[0].PatientId)));
        Assert.Equal("green", await database.ScalarAsync<string>("SELECT favorite_color FROM public_store.patients WHERE patient_id = @id", ("id", first.PatientId)));
        await AssertStoresConsistentAsync();
    }

    /// <summary>Every audit row belongs to a patient, and every patient has exactly one current public row.</summary>
    private async Task AssertStoresConsistentAsync()
    {
        Assert.Equal(0, await database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.records r WHERE NOT EXISTS (SELECT 1 FROM phi.patients p WHERE p.patient_key = r.patient_key)"));
        Assert.Equal(0, await database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.patients p WHERE NOT EXISTS (SELECT 1 FROM public_store.patients c WHERE c.patient_id = p.patient_id)"));
        Assert.Equal(await database.CountAsync("phi.patients"), await database.CountAsync("public_store.patients"));
    }
}
