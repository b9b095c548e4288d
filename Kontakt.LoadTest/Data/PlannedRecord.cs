namespace Kontakt.LoadTest.Data;

/// <summary>One record of the run; its position in the plan is its sequence number.</summary>
/// <param name="Identity">Index of the identity in <see cref="RecordPlan"/>.</param>
/// <param name="Name">The name as this record sends it.</param>
/// <param name="FavoriteColor">The color this record sends; null when it sends none (the field is optional).</param>
/// <param name="Kind">New identity, returning, renamed, recolored.</param>
public readonly record struct PlannedRecord(int Identity, string Name, string? FavoriteColor, RecordKind Kind);
