namespace Kontakt.Core.Storage.Schema;

/// <summary><c>public_store.patient_history</c>: closed public versions, valid in [ValidFrom, ValidTo). No PHI.</summary>
public sealed class PublicPatientVersion
{
    /// <summary>The random public patient ID.</summary>
    public Guid PatientId { get; set; }

    /// <summary>The favorite color of this version; null when the patient had none yet.</summary>
    public string? FavoriteColor { get; set; }

    /// <summary>System time from which this version was valid.</summary>
    public DateTimeOffset ValidFrom { get; set; }

    /// <summary>System time at which the next version replaced it.</summary>
    public DateTimeOffset ValidTo { get; set; }
}
