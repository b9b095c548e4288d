namespace Kontakt.Core.Records;

/// <summary>One name of the color vocabulary.</summary>
/// <param name="Name">The canonical name: lower case, words separated by single spaces.</param>
/// <param name="Sources">The lists that define it, <c>css</c> and/or <c>xkcd</c>, in that order.</param>
public sealed record ColorName(string Name, IReadOnlyList<string> Sources);
