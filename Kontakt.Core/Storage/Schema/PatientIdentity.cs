namespace Kontakt.Core.Storage.Schema;

/// <summary><c>phi.patients</c>: one row per person, the identity index. PHI.</summary>
public sealed class PatientIdentity
{
    /// <summary>Internal sequential key for joins; never leaves the PHI schema.</summary>
    public long PatientKey { get; set; }

    /// <summary>The random (v4) public patient ID.</summary>
    public Guid PatientId { get; set; }

    /// <summary>The normalized name (see <see cref="Records.NameNormalizer"/>).</summary>
    public required string NameKey { get; set; }

    /// <summary>Date of birth.</summary>
    public DateOnly Dob { get; set; }

    /// <summary>When the person was first seen.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
