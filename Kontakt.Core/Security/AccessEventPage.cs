namespace Kontakt.Core.Security;

/// <summary>One page of access events, newest first.</summary>
/// <param name="Events">The events of this page.</param>
/// <param name="NextBefore">Pass as <c>before</c> for the next page; null when this is the last.</param>
public sealed record AccessEventPage(IReadOnlyList<AccessEventView> Events, long? NextBefore);
