namespace Kontakt.Core.Temporal;

/// <summary>One page of a patient's public versions, oldest first.</summary>
/// <param name="Versions">The versions of this page.</param>
/// <param name="HasMore">Whether later versions remain after the last one here.</param>
public sealed record HistoryPage(IReadOnlyList<PublicVersion> Versions, bool HasMore);
