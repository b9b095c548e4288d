namespace Kontakt.Core.Temporal;

/// <summary>How a public snapshot is written.</summary>
public enum SnapshotFormat
{
    /// <summary>One JSON object per line: <c>{"patientId":"…","favoriteColor":"…"}</c> (<c>null</c> for a patient without a color). The canonical form the manifest hashes.</summary>
    NdJson,

    /// <summary>RFC 4180 CSV with a header row <c>patientId,favoriteColor</c>.</summary>
    Csv,
}
