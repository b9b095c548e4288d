namespace Kontakt.Core.Security;

/// <summary>What was attempted: the fixed words of <c>security.access_events.action</c>.</summary>
public static class AccessActions
{
    /// <summary><c>GET /v1/audit/patients/{id}</c>: one patient's PHI master view.</summary>
    public const string AuditPatientRead = "audit.patient.read";

    /// <summary><c>GET /v1/audit/access-events</c>: the access log itself.</summary>
    public const string AccessEventsRead = "audit.access_events.read";
}
