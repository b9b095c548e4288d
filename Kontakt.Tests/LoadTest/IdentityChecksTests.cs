using Kontakt.LoadTest.Verification;

namespace Kontakt.Tests.LoadTest;

/// <summary>Checks b and c, computed from an <see cref="IdentityBook"/> the way the verifier computes them.</summary>
public sealed class IdentityChecksTests
{
    private static readonly Guid PatientA = Guid.Parse("0195d1a0-0000-7000-8000-00000000000a");
    private static readonly Guid PatientB = Guid.Parse("0195d1a0-0000-7000-8000-00000000000b");
    private static readonly Guid PatientC = Guid.Parse("0195d1a0-0000-7000-8000-00000000000c");
    private static readonly Guid PatientD = Guid.Parse("0195d1a0-0000-7000-8000-00000000000d");

    private static (CheckResult Distinct, CheckResult OnePatient) Checks(IdentityBook book)
    {
        var several = book.IdentitiesWithSeveralPatients();
        var none = book.IdentitiesWithoutPatient();
        var acknowledged = book.AcknowledgedIdentityCount();
        return (
            VerificationRules.DistinctPatients(acknowledged, book.DistinctPatientCount(), book.PatientsSharedByIdentities().Count, "test"),
            VerificationRules.OnePatientPerIdentity(acknowledged, none.Count, several.Count, "test", []));
    }

    private static IdentityBook ConsistentBook()
    {
        var book = new IdentityBook(4);
        book.RecordPatient(0, PatientA);
        book.RecordPatient(1, PatientB);
        book.RecordPatient(0, PatientA);
        book.RecordPatient(2, PatientC);
        book.RecordPatient(1, PatientB);
        return book;
    }

    [Fact]
    public void Consistent_answers_pass_both_identity_checks()
    {
        var book = ConsistentBook();
        var (distinct, onePatient) = Checks(book);

        Assert.Equal(3, book.AcknowledgedIdentityCount());
        Assert.Equal(3, book.DistinctPatientCount());
        Assert.True(distinct.Passed, distinct.Detail);
        Assert.True(onePatient.Passed, onePatient.Detail);
        Assert.Equal("PASS", distinct.Status);
        Assert.Equal(VerificationRules.DistinctPatientsName, distinct.Name);
        Assert.Equal(VerificationRules.OnePatientName, onePatient.Name);
    }

    [Fact]
    public void An_identity_that_got_two_patient_ids_fails_the_one_patient_check()
    {
        var book = ConsistentBook();
        book.RecordPatient(2, PatientD);
        var (_, onePatient) = Checks(book);

        Assert.Equal([2], book.IdentitiesWithSeveralPatients());
        Assert.Equal(new HashSet<Guid> { PatientC, PatientD }, book.PatientIdsOf(2));
        Assert.False(onePatient.Passed, onePatient.Detail);
        Assert.Equal("FAIL", onePatient.Status);
        Assert.Contains("1 with several patient IDs", onePatient.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_split_identity_also_shows_as_more_patients_than_identities()
    {
        var book = ConsistentBook();
        book.RecordPatient(2, PatientD);
        var (distinct, _) = Checks(book);

        Assert.Equal(4, book.DistinctPatientCount());
        Assert.False(distinct.Passed, distinct.Detail);
    }

    [Fact]
    public void Two_identities_sharing_one_patient_id_fail_the_distinct_patients_check()
    {
        var book = ConsistentBook();
        book.RecordPatient(3, PatientA);
        var (distinct, onePatient) = Checks(book);

        Assert.Equal(new Dictionary<Guid, int> { [PatientA] = 2 }, book.PatientsSharedByIdentities());
        Assert.False(distinct.Passed, distinct.Detail);
        Assert.Contains("people merged", distinct.Detail, StringComparison.Ordinal);
        // Each identity still has exactly one patient ID: only check b can see a merge.
        Assert.True(onePatient.Passed, onePatient.Detail);
    }

    [Fact]
    public void Merged_people_fail_even_when_a_split_elsewhere_evens_out_the_counts()
    {
        var book = new IdentityBook(3);
        book.RecordPatient(0, PatientA);
        book.RecordPatient(1, PatientA);
        book.RecordPatient(2, PatientB);
        book.RecordPatient(2, PatientC);
        var (distinct, onePatient) = Checks(book);

        Assert.Equal(3, book.DistinctPatientCount());
        Assert.Equal(3, book.AcknowledgedIdentityCount());
        Assert.False(distinct.Passed, distinct.Detail);
        Assert.False(onePatient.Passed, onePatient.Detail);
    }

    [Fact]
    public void An_acknowledged_identity_without_a_patient_fails_the_one_patient_check()
    {
        var book = ConsistentBook();
        book.MarkAcknowledged(3);
        var (distinct, onePatient) = Checks(book);

        Assert.Equal([3], book.IdentitiesWithoutPatient());
        Assert.False(onePatient.Passed, onePatient.Detail);
        Assert.Contains("1 with none", onePatient.Detail, StringComparison.Ordinal);
        Assert.False(distinct.Passed, distinct.Detail);
    }

    [Fact]
    public void An_identity_never_acknowledged_is_not_counted_against_the_checks()
    {
        var book = ConsistentBook();

        Assert.False(book.IsAcknowledged(3));
        Assert.Empty(book.IdentitiesWithoutPatient());
        Assert.Empty(book.PatientIdsOf(3));
        Assert.False(book.HasPatient(3, Guid.Empty));
    }

    [Fact]
    public void HasPatient_knows_the_first_and_later_patient_ids_of_an_identity()
    {
        var book = ConsistentBook();
        book.RecordPatient(0, PatientD);

        Assert.True(book.HasPatient(0, PatientA));
        Assert.True(book.HasPatient(0, PatientD));
        Assert.False(book.HasPatient(0, PatientB));
        Assert.False(book.HasPatient(1, PatientA));
    }

    [Fact]
    public void Concurrent_acknowledgements_of_the_same_patients_do_not_count_as_splits()
    {
        const int identities = 1_000;
        var patients = Enumerable.Range(0, identities).Select(_ => Guid.NewGuid()).ToArray();
        var book = new IdentityBook(identities);

        Parallel.For(0, identities * 20, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => book.RecordPatient(i % identities, patients[i % identities]));
        var (distinct, onePatient) = Checks(book);

        Assert.Equal(identities, book.AcknowledgedIdentityCount());
        Assert.Equal(identities, book.DistinctPatientCount());
        Assert.Empty(book.IdentitiesWithSeveralPatients());
        Assert.True(distinct.Passed, distinct.Detail);
        Assert.True(onePatient.Passed, onePatient.Detail);
    }
}
