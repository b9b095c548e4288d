using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Kontakt.Api.Hl7;

/// <summary>The HL7 v2 MLLP listener. Bound from the <c>Kontakt:Hl7</c> section.</summary>
public sealed class Hl7Options : IValidatableObject
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kontakt:Hl7";

    /// <summary>TCP port of the MLLP listener; 0 turns it off. 2575 is the port IANA registered for HL7 over MLLP.</summary>
    [Range(0, 65_535)]
    public int MllpPort { get; set; } = 2575;

    /// <summary>
    /// Address the listener binds to. Loopback by default: MLLP has no credentials, so who may send is decided
    /// by who can reach the port (docs/security.md).
    /// </summary>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>A connection on which nothing arrives for this long is closed (senders reconnect for their next message).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest message accepted, in bytes between the MLLP start and end bytes; a larger one closes its connection.</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 512 * 1024;

    /// <summary>
    /// Most connections open at once; one more is closed as soon as it is accepted. With
    /// <see cref="MaxMessageBytes"/> this bounds the memory the listener can be made to hold.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxConnections { get; set; } = 256;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(BindAddress, out _))
        {
            yield return new ValidationResult("must be an IP address such as 127.0.0.1, 0.0.0.0 or ::1.", [nameof(BindAddress)]);
        }
    }
}
