namespace Kontakt.Core.Security;

/// <summary>A key just made. <see cref="Key"/> exists only here: it is shown once and never stored.</summary>
/// <param name="Name">The label given at creation.</param>
/// <param name="Role">The role the key carries.</param>
/// <param name="Key">The key itself, <c>kontakt_</c> followed by 43 base64url characters.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record CreatedApiKey(string Name, string Role, string Key, DateTimeOffset CreatedAt)
{
    /// <summary>Never the key: a record's default ToString would print it into a log.</summary>
    public override string ToString() => $"{Name} ({Role})";
}
