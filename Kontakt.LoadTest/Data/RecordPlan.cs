namespace Kontakt.LoadTest.Data;

/// <summary>
/// The run's records, generated before the run so that sending costs no generation.
/// Identities are distinct by <see cref="IdentityKey"/>: an identity index stands for one
/// canonical name and date of birth.
/// </summary>
public sealed class RecordPlan
{
    private readonly PlannedRecord[] _records;
    private readonly GeneratedIdentity[] _identities;

    public RecordPlan(RecordPlanSettings settings, PlannedRecord[] records, GeneratedIdentity[] identities)
    {
        Settings = settings;
        _records = records;
        _identities = identities;
        foreach (var record in records)
        {
            if (record.Kind.HasFlag(RecordKind.Returning))
            {
                ReturningCount++;
            }
            if (record.Kind.HasFlag(RecordKind.NameVariant))
            {
                NameVariantCount++;
            }
            if (record.Kind.HasFlag(RecordKind.ColorChange))
            {
                ColorChangeCount++;
            }
        }
    }

    public RecordPlanSettings Settings { get; }

    public int Count => _records.Length;

    public int IdentityCount => _identities.Length;

    public int ReturningCount { get; }

    public int NameVariantCount { get; }

    public int ColorChangeCount { get; }

    public PlannedRecord this[int sequence] => _records[sequence];

    public GeneratedIdentity Identity(int index) => _identities[index];

    /// <summary>The canonical name and date of birth the identity at <paramref name="index"/> stands for.</summary>
    public IdentityKey KeyOf(int index) => IdentityKey.For(_identities[index].Name, _identities[index].Dob);

    /// <summary>Date of birth of the record at <paramref name="sequence"/>.</summary>
    public DateOnly DobOf(int sequence) => _identities[_records[sequence].Identity].Dob;
}
