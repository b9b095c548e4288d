namespace Kontakt.Core.Temporal;

/// <summary>One public version of a patient, valid in [<paramref name="ValidFrom"/>, <paramref name="ValidTo"/>).</summary>
/// <param name="FavoriteColor">The color of this version; null while the patient had none.</param>
/// <param name="ValidFrom">System time it became current.</param>
/// <param name="ValidTo">System time it was replaced; null for the current version.</param>
public sealed record PublicVersion(string? FavoriteColor, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo);
