namespace Kontakt.Api.Security;

/// <summary>
/// Endpoint metadata: every attempt on this endpoint that is refused (401, 403, 429) goes to the
/// access log under <see cref="Action"/>. Successful reads log themselves, in their own transaction.
/// </summary>
/// <param name="Action">One of <see cref="Kontakt.Core.Security.AccessActions"/>.</param>
public sealed record AccessAudited(string Action);
