namespace Kontakt.LoadTest.Data;

/// <summary>Generates a <see cref="RecordPlan"/>; deterministic for equal <see cref="RecordPlanSettings"/>.</summary>
public static class RecordPlanner
{
    /// <summary>Earliest date of birth the service accepts.</summary>
    public static readonly DateOnly EarliestDob = new(1900, 1, 1);

    private const double EarliestDobShare = 0.001;
    private const double WholeRangeDobShare = 0.10;
    private const int TypicalAgeSpanDays = 95 * 365;
    private const int NoColor = -1;

    public static RecordPlan Create(RecordPlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.Records);
        if (settings.LatestDob < EarliestDob)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), "LatestDob is before 1900-01-01.");
        }

        var random = new Random(settings.Seed);
        var composer = new NameComposer(NamePartPools.Create(settings.Seed));
        var palette = ColorPalette.Create(settings.Seed);
        var records = new PlannedRecord[settings.Records];
        var expectedIdentities = (int)Math.Min(settings.Records, (settings.Records * (1 - settings.Returning)) + 1024);
        var identities = new List<GeneratedIdentity>(expectedIdentities);
        var canonicalNames = new List<string>(expectedIdentities);
        var currentColors = new List<int>(expectedIdentities);
        var seen = new HashSet<IdentityKey>(expectedIdentities);

        for (var sequence = 0; sequence < records.Length; sequence++)
        {
            if (identities.Count > 0 && random.NextDouble() < settings.Returning)
            {
                var identity = random.Next(identities.Count);
                var kind = RecordKind.Returning;
                var name = identities[identity].Name;
                if (random.NextDouble() < settings.NameVariants)
                {
                    var variation = NameVariations.All[random.Next(NameVariations.All.Count)];
                    var varied = NameVariations.Apply(variation, name);
                    // A variation that changed the canonical name would be a different person: keep the original then.
                    if (IdentityKey.Canonicalize(varied) == canonicalNames[identity])
                    {
                        name = varied;
                        kind |= RecordKind.NameVariant;
                    }
                }
                string? color;
                if (random.NextDouble() < settings.ColorChanges)
                {
                    currentColors[identity] = palette.PickOther(currentColors[identity], random);
                    kind |= RecordKind.ColorChange;
                    color = palette[currentColors[identity]];
                }
                else
                {
                    // Without a new color a returning record either repeats the current one or sends none: both keep it.
                    color = currentColors[identity] == NoColor || random.NextDouble() < ColorPalette.OmittedShare ? null : palette[currentColors[identity]];
                }
                records[sequence] = new PlannedRecord(identity, name, color, kind);
            }
            else
            {
                string name;
                IdentityKey key;
                do
                {
                    name = composer.Compose(random);
                    key = IdentityKey.For(name, NextDob(random, settings.LatestDob));
                }
                while (!seen.Add(key));

                identities.Add(new GeneratedIdentity(name, key.Dob));
                canonicalNames.Add(key.CanonicalName);
                currentColors.Add(random.NextDouble() < ColorPalette.OmittedShare ? NoColor : random.Next(palette.Count));
                records[sequence] = new PlannedRecord(
                    identities.Count - 1, name, currentColors[^1] == NoColor ? null : palette[currentColors[^1]], RecordKind.NewIdentity);
            }
        }
        return new RecordPlan(settings, records, [.. identities]);
    }

    // Mostly within a lifetime; some anywhere back to 1900, a few exactly on the boundary.
    private static DateOnly NextDob(Random random, DateOnly latest)
    {
        var roll = random.NextDouble();
        var rangeDays = latest.DayNumber - EarliestDob.DayNumber;
        if (roll < EarliestDobShare)
        {
            return EarliestDob;
        }
        if (roll < EarliestDobShare + WholeRangeDobShare)
        {
            return EarliestDob.AddDays(random.Next(rangeDays + 1));
        }
        var span = Math.Min(rangeDays, TypicalAgeSpanDays);
        return latest.AddDays(-random.Next(span + 1));
    }
}
