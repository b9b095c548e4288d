namespace Kontakt.Core.Temporal;

/// <summary>Proof of a snapshot: two exports with the same manifest are the same snapshot.</summary>
/// <param name="AsOf">The effective system time of the snapshot.</param>
/// <param name="Patients">Number of patients (rows) in it.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the canonical NDJSON export.</param>
public sealed record SnapshotManifest(DateTimeOffset AsOf, long Patients, string Sha256);
