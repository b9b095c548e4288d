namespace Kontakt.Core.Temporal;

/// <summary>What analysts see of a patient: no PHI.</summary>
/// <param name="PatientId">The random patient ID.</param>
/// <param name="FavoriteColor">The current favorite color (canonical form); null until a record carries one.</param>
/// <param name="UpdatedAt">System time at which this color became current.</param>
public sealed record PublicPatientView(Guid PatientId, string? FavoriteColor, DateTimeOffset UpdatedAt);
