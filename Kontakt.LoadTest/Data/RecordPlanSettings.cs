namespace Kontakt.LoadTest.Data;

/// <summary>Everything the generated data depends on: the same settings give the same records.</summary>
/// <param name="Records">How many records.</param>
/// <param name="Seed">Random seed.</param>
/// <param name="Returning">Share of records that belong to an identity sent earlier.</param>
/// <param name="ColorChanges">Share of returning records that carry a new color.</param>
/// <param name="LatestDob">Latest date of birth to generate (yesterday, so the service's "today" always admits it).</param>
public sealed record RecordPlanSettings(int Records, int Seed, double Returning, double ColorChanges, DateOnly LatestDob)
{
    /// <summary>Share of returning records whose name is re-sent in another case or spacing.</summary>
    public double NameVariants { get; init; } = 0.3;
}
