namespace Kontakt.Core.Storage.Schema;

/// <summary><c>public_store.patients</c>: the current public version of each patient. No PHI.</summary>
public sealed class PublicPatient
{
    /// <summary>The random public patient ID.</summary>
    public Guid PatientId { get; set; }

    /// <summary>The current favorite color (canonical vocabulary form); null until a record carries one.</summary>
    public string? FavoriteColor { get; set; }

    /// <summary>System time from which this version is valid.</summary>
    public DateTimeOffset ValidFrom { get; set; }
}
