namespace Kontakt.LoadTest.Verification;

/// <summary>
/// For each generated identity (an index into the plan, which stands for one canonical name
/// and date of birth), whether it was acknowledged and the set of patient IDs the service
/// returned for it. Safe for concurrent use; built for a million records per run.
/// </summary>
public sealed class IdentityBook
{
    private const int StripeCount = 64;

    private readonly bool[] _acknowledged;
    private readonly Guid[] _firstPatient;
    private readonly Dictionary<int, HashSet<Guid>> _morePatients = [];
    private readonly Lock[] _stripes = [.. Enumerable.Range(0, StripeCount).Select(_ => new Lock())];
    private readonly Lock _moreLock = new();

    public IdentityBook(int identityCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(identityCount);
        _acknowledged = new bool[identityCount];
        _firstPatient = new Guid[identityCount];
    }

    public int IdentityCount => _acknowledged.Length;

    /// <summary>A record of this identity was acknowledged (a 202 carries no patient ID).</summary>
    public void MarkAcknowledged(int identity) => Volatile.Write(ref _acknowledged[identity], true);

    /// <summary>The service said a record of this identity belongs to <paramref name="patientId"/>.</summary>
    public void RecordPatient(int identity, Guid patientId)
    {
        MarkAcknowledged(identity);
        lock (_stripes[identity % StripeCount])
        {
            var first = _firstPatient[identity];
            if (first == Guid.Empty)
            {
                _firstPatient[identity] = patientId;
                return;
            }
            if (first == patientId)
            {
                return;
            }
        }
        lock (_moreLock)
        {
            if (!_morePatients.TryGetValue(identity, out var more))
            {
                _morePatients[identity] = more = [];
            }
            more.Add(patientId);
        }
    }

    /// <summary>Whether <paramref name="patientId"/> is among the patient IDs recorded for <paramref name="identity"/>.</summary>
    public bool HasPatient(int identity, Guid patientId)
    {
        lock (_stripes[identity % StripeCount])
        {
            if (_firstPatient[identity] == patientId)
            {
                return patientId != Guid.Empty;
            }
        }
        lock (_moreLock)
        {
            return _morePatients.TryGetValue(identity, out var more) && more.Contains(patientId);
        }
    }

    public bool IsAcknowledged(int identity) => Volatile.Read(ref _acknowledged[identity]);

    public IReadOnlySet<Guid> PatientIdsOf(int identity)
    {
        var ids = new HashSet<Guid>();
        lock (_stripes[identity % StripeCount])
        {
            if (_firstPatient[identity] != Guid.Empty)
            {
                ids.Add(_firstPatient[identity]);
            }
        }
        lock (_moreLock)
        {
            if (_morePatients.TryGetValue(identity, out var more))
            {
                ids.UnionWith(more);
            }
        }
        return ids;
    }

    public int AcknowledgedIdentityCount() => _acknowledged.Count(a => a);

    /// <summary>Distinct patient IDs returned over all identities.</summary>
    public int DistinctPatientCount()
    {
        var all = new HashSet<Guid>(_firstPatient.Length);
        foreach (var id in _firstPatient)
        {
            if (id != Guid.Empty)
            {
                all.Add(id);
            }
        }
        lock (_moreLock)
        {
            foreach (var more in _morePatients.Values)
            {
                all.UnionWith(more);
            }
        }
        return all.Count;
    }

    /// <summary>Acknowledged identities for which no patient ID was recorded.</summary>
    public IReadOnlyList<int> IdentitiesWithoutPatient()
    {
        var missing = new List<int>();
        for (var identity = 0; identity < _acknowledged.Length; identity++)
        {
            if (_acknowledged[identity] && _firstPatient[identity] == Guid.Empty)
            {
                missing.Add(identity);
            }
        }
        return missing;
    }

    /// <summary>Identities the service split over two or more patients.</summary>
    public IReadOnlyList<int> IdentitiesWithSeveralPatients()
    {
        lock (_moreLock)
        {
            return [.. _morePatients.Keys.Order()];
        }
    }

    /// <summary>Patient IDs the service gave to two or more different identities (wrongly merged people).</summary>
    public IReadOnlyDictionary<Guid, int> PatientsSharedByIdentities()
    {
        var identitiesPerPatient = new Dictionary<Guid, int>(_firstPatient.Length);
        lock (_moreLock)
        {
            for (var identity = 0; identity < _firstPatient.Length; identity++)
            {
                foreach (var patient in PatientIdsOfUnlocked(identity))
                {
                    identitiesPerPatient[patient] = identitiesPerPatient.GetValueOrDefault(patient) + 1;
                }
            }
        }
        return identitiesPerPatient.Where(p => p.Value > 1).ToDictionary(p => p.Key, p => p.Value);
    }

    // Callers hold _moreLock; _firstPatient entries are only read once the run has finished.
    private IEnumerable<Guid> PatientIdsOfUnlocked(int identity)
    {
        if (_firstPatient[identity] != Guid.Empty)
        {
            yield return _firstPatient[identity];
        }
        if (_morePatients.TryGetValue(identity, out var more))
        {
            foreach (var id in more)
            {
                yield return id;
            }
        }
    }
}
