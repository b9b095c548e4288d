using System.Globalization;
using Kontakt.Core.Records;
using Kontakt.LoadTest.Data;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.LoadTest;

public sealed class RecordPlannerTests
{
    private const int LargeRecords = 20_000;
    private const double Returning = 0.3;
    private const double ColorChanges = 0.5;

    // Four standard deviations of a binomial count: a correct generator lands inside with
    // probability 99.99 %, while a share off by two percentage points (400 of 20,000 records,
    // over six standard deviations) lands outside.
    private const double Sigmas = 4;

    private static readonly DateOnly Yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);

    private static readonly RecordPlanSettings LargeSettings = new(LargeRecords, 42, Returning, ColorChanges, Yesterday);

    private static readonly Lazy<RecordPlan> LargePlan = new(() => RecordPlanner.Create(LargeSettings));

    private static RecordPlan Plan => LargePlan.Value;

    private static IEnumerable<int> Sequences(RecordPlan plan) => Enumerable.Range(0, plan.Count);

    private static void AssertShareNear(int trials, double probability, int observed, string what)
    {
        var expected = trials * probability;
        var tolerance = Sigmas * Math.Sqrt(trials * probability * (1 - probability));
        Assert.True(Math.Abs(observed - expected) <= tolerance,
            $"{what}: {observed} of {trials}, expected {expected:0} ± {tolerance:0} (share {probability})");
    }

    [Fact]
    public void Same_settings_and_seed_give_an_identical_plan()
    {
        var settings = new RecordPlanSettings(5_000, 7, Returning, ColorChanges, Yesterday);
        var first = RecordPlanner.Create(settings);
        var second = RecordPlanner.Create(settings);

        Assert.Equal(first.Count, second.Count);
        Assert.Equal(first.IdentityCount, second.IdentityCount);
        foreach (var sequence in Sequences(first))
        {
            Assert.Equal(first[sequence], second[sequence]);
            Assert.Equal(first.DobOf(sequence), second.DobOf(sequence));
        }
        for (var identity = 0; identity < first.IdentityCount; identity++)
        {
            Assert.Equal(first.Identity(identity), second.Identity(identity));
        }
    }

    [Fact]
    public void Another_seed_gives_other_names_dobs_and_colors()
    {
        var first = RecordPlanner.Create(new RecordPlanSettings(2_000, 7, Returning, ColorChanges, Yesterday));
        var other = RecordPlanner.Create(new RecordPlanSettings(2_000, 8, Returning, ColorChanges, Yesterday));

        Assert.True(Sequences(first).Count(s => first[s].Name != other[s].Name) > first.Count / 2, "most names should differ");
        Assert.True(Sequences(first).Count(s => first.DobOf(s) != other.DobOf(s)) > first.Count / 2, "most dates of birth should differ");
        Assert.True(Sequences(first).Count(s => first[s].FavoriteColor != other[s].FavoriteColor) > first.Count / 2, "most colors should differ");
        Assert.NotEqual(Sequences(first).Select(s => first[s].Kind), Sequences(other).Select(s => other[s].Kind));
    }

    [Fact]
    public void Returning_share_is_close_to_the_requested_fraction()
    {
        // The first record cannot return: every later one returns with probability Returning.
        AssertShareNear(Plan.Count - 1, Returning, Plan.ReturningCount, "returning records");
        Assert.Equal(Plan.Count - Plan.ReturningCount, Plan.IdentityCount);
        Assert.Equal(Plan.ReturningCount, Sequences(Plan).Count(s => Plan[s].Kind.HasFlag(RecordKind.Returning)));
    }

    [Fact]
    public void Color_change_share_of_returning_records_is_close_to_the_requested_fraction() =>
        AssertShareNear(Plan.ReturningCount, ColorChanges, Plan.ColorChangeCount, "recolored returning records");

    [Fact]
    public void Name_variant_share_of_returning_records_is_close_to_the_default_fraction() =>
        AssertShareNear(Plan.ReturningCount, LargeSettings.NameVariants, Plan.NameVariantCount, "renamed returning records");

    [Fact]
    public void Without_returning_share_every_record_is_a_new_identity()
    {
        var plan = RecordPlanner.Create(new RecordPlanSettings(3_000, 3, 0, ColorChanges, Yesterday));
        Assert.Equal(plan.Count, plan.IdentityCount);
        Assert.Equal(0, plan.ReturningCount);
        Assert.All(Sequences(plan), s => Assert.Equal(RecordKind.NewIdentity, plan[s].Kind));
    }

    [Fact]
    public void Only_returning_records_carry_variant_or_color_change_flags() =>
        Assert.All(Sequences(Plan), s =>
        {
            var kind = Plan[s].Kind;
            if (kind != RecordKind.NewIdentity)
            {
                Assert.True(kind.HasFlag(RecordKind.Returning), $"record {s} is {kind}");
            }
        });

    [Fact]
    public void Identities_are_introduced_in_order_and_returning_records_refer_to_earlier_ones()
    {
        var introduced = 0;
        foreach (var sequence in Sequences(Plan))
        {
            var record = Plan[sequence];
            if (record.Kind == RecordKind.NewIdentity)
            {
                Assert.Equal(introduced, record.Identity);
                Assert.Equal(Plan.Identity(record.Identity).Name, record.Name);
                introduced++;
            }
            else
            {
                Assert.InRange(record.Identity, 0, introduced - 1);
            }
        }
        Assert.Equal(Plan.IdentityCount, introduced);
    }

    [Fact]
    public void Every_record_name_canonicalizes_to_the_identity_it_claims()
    {
        foreach (var sequence in Sequences(Plan))
        {
            var record = Plan[sequence];
            var key = Plan.KeyOf(record.Identity);
            Assert.Equal(key.CanonicalName, IdentityKey.Canonicalize(record.Name));
            Assert.Equal(key.CanonicalName, NameNormalizer.ToIdentityKey(record.Name));
            Assert.Equal(key.Dob, Plan.DobOf(sequence));
        }
    }

    [Fact]
    public void Renamed_records_differ_in_text_but_not_in_identity_and_others_repeat_the_first_name()
    {
        foreach (var sequence in Sequences(Plan))
        {
            var record = Plan[sequence];
            var original = Plan.Identity(record.Identity).Name;
            if (record.Kind.HasFlag(RecordKind.NameVariant))
            {
                Assert.NotEqual(original, record.Name);
            }
            else
            {
                Assert.Equal(original, record.Name);
            }
        }
    }

    [Fact]
    public void Every_kind_of_name_variation_occurs_in_a_large_plan()
    {
        var variants = Sequences(Plan).Select(s => Plan[s]).Where(r => r.Kind.HasFlag(RecordKind.NameVariant)).ToList();
        Assert.Contains(variants, r => r.Name.Contains('\u00A0', StringComparison.Ordinal));
        Assert.Contains(variants, r => r.Name.StartsWith("  ", StringComparison.Ordinal) && r.Name.EndsWith(' '));
        Assert.Contains(variants, r => r.Name.Trim().Contains("  ", StringComparison.Ordinal));
        Assert.Contains(variants, r => r.Name == Plan.Identity(r.Identity).Name.ToUpperInvariant());
        Assert.Contains(variants, r => r.Name == Plan.Identity(r.Identity).Name.ToLowerInvariant());
    }

    [Fact]
    public void Identities_are_distinct_by_canonical_name_and_dob()
    {
        var keys = Enumerable.Range(0, Plan.IdentityCount).Select(Plan.KeyOf).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(Plan.IdentityCount, Sequences(Plan).Select(s => IdentityKey.For(Plan[s].Name, Plan.DobOf(s))).Distinct().Count());
    }

    [Fact]
    public void Every_dob_is_between_1900_and_yesterday_and_the_boundary_occurs()
    {
        Assert.True(Yesterday < DateOnly.FromDateTime(DateTime.UtcNow));
        Assert.All(Sequences(Plan), s => Assert.InRange(Plan.DobOf(s), RecordValidator.EarliestDob, Yesterday));
        var dobs = Enumerable.Range(0, Plan.IdentityCount).Select(i => Plan.Identity(i).Dob).ToList();
        Assert.Contains(RecordValidator.EarliestDob, dobs);
        Assert.Contains(dobs, d => d < Yesterday.AddYears(-95));
    }

    [Fact]
    public void A_color_change_carries_a_new_color_and_other_returning_records_keep_the_current_one()
    {
        // Compared in the form the service stores publicly; a record without a color keeps the current one.
        var current = new Dictionary<int, string?>();
        foreach (var sequence in Sequences(Plan))
        {
            var record = Plan[sequence];
            var color = record.FavoriteColor is null ? null : ColorPalette.Canonical(record.FavoriteColor);
            if (record.Kind.HasFlag(RecordKind.ColorChange))
            {
                Assert.NotNull(color);
                Assert.NotEqual(current[record.Identity], color);
            }
            else if (record.Kind.HasFlag(RecordKind.Returning) && color is not null)
            {
                Assert.Equal(current[record.Identity], color);
            }
            if (color is not null || !current.ContainsKey(record.Identity))
            {
                current[record.Identity] = color;
            }
        }
    }

    [Fact]
    public void About_one_record_in_ten_sends_no_color_and_every_other_sends_one_of_the_vocabulary()
    {
        var omitted = Sequences(Plan).Count(s => Plan[s].FavoriteColor is null);
        Assert.InRange(omitted, Plan.Count * 0.07, Plan.Count * 0.13);
        Assert.All(Sequences(Plan).Select(s => Plan[s].FavoriteColor).OfType<string>(),
            color => Assert.True(ColorVocabulary.Default.TryCanonicalize(color, out _), "a planned color is outside the vocabulary"));
        Assert.Contains(Sequences(Plan), s => Plan[s].FavoriteColor is { } color && color.StartsWith('#'));
        Assert.Contains(Sequences(Plan), s => Plan[s].FavoriteColor is { } color && color.Contains("  ", StringComparison.Ordinal));
        Assert.Contains(Sequences(Plan), s => Plan[s].FavoriteColor is { } color && color.Any(char.IsAsciiLetterUpper));
    }

    [Fact]
    public void Names_include_apostrophes_accents_titles_and_suffixes()
    {
        var names = Enumerable.Range(0, Plan.IdentityCount).Select(i => Plan.Identity(i).Name).ToList();
        var pools = NamePartPools.Create(LargeSettings.Seed);
        var prefixes = pools.Locales.SelectMany(l => l.Prefixes).ToHashSet(StringComparer.Ordinal);
        var suffixes = pools.Locales.SelectMany(l => l.Suffixes).ToHashSet(StringComparer.Ordinal);

        Assert.Contains(names, n => n.Contains('\'', StringComparison.Ordinal));
        Assert.Contains(names, n => n.Any(c => c > 127 && char.IsLetter(c)));
        Assert.Contains(names, n => n.Split(' ') is { Length: > 2 } parts && prefixes.Contains(parts[0]));
        Assert.Contains(names, n => n.Split(' ') is { Length: > 2 } parts && suffixes.Contains(parts[^1]));
        Assert.Contains(names, n => n.Contains('-', StringComparison.Ordinal));
    }

    [Fact]
    public void Names_and_colors_fit_the_servers_limits_and_hold_no_control_characters()
    {
        Assert.All(Sequences(Plan), s =>
        {
            var record = Plan[s];
            Assert.InRange(record.Name.Trim().EnumerateRunes().Count(), 1, RecordValidator.MaxNameLength);
            Assert.InRange((record.FavoriteColor ?? "x").EnumerateRunes().Count(), 1, RecordValidator.MaxColorLength);
            Assert.DoesNotContain(record.Name, char.IsControl);
            Assert.DoesNotContain(record.FavoriteColor ?? "", char.IsControl);
        });
    }

    [Fact]
    public void A_sample_of_generated_records_passes_the_servers_validator_with_the_same_identity_key()
    {
        var validator = new RecordValidator(TimeProvider.System);
        var ids = new RecordIdScheme("validatorcheck");
        for (var sequence = 0; sequence < Plan.Count; sequence += 4)
        {
            var record = Plan[sequence];
            var errors = new List<FieldError>();
            var request = new RecordRequest
            {
                Name = record.Name,
                Dob = Plan.DobOf(sequence).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                FavoriteColor = record.FavoriteColor,
                RecordId = ids.For(sequence),
            };
            var validated = validator.Validate(request, TestRecords.Client, validator.Now(), errors);
            Assert.True(validated is not null, $"record {sequence} '{record.Name}' was refused: {string.Join("; ", errors)}");
            Assert.Equal(Plan.KeyOf(record.Identity).CanonicalName, validated.NameKey);
        }
    }
}
