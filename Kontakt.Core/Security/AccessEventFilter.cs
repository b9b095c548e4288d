namespace Kontakt.Core.Security;

/// <summary>Which access events to read; every criterion is optional and they combine with AND.</summary>
/// <param name="PatientId">Only events about this patient.</param>
/// <param name="Actor">Only events of this actor (exact).</param>
/// <param name="From">Only events at or after this time.</param>
/// <param name="To">Only events before this time.</param>
public sealed record AccessEventFilter(Guid? PatientId = null, string? Actor = null, DateTimeOffset? From = null, DateTimeOffset? To = null);
