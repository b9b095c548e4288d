namespace Kontakt.Core.Storage;

/// <summary>Table privileges a database role can be granted.</summary>
[Flags]
public enum TableAccess
{
    /// <summary>No privilege.</summary>
    None = 0,

    /// <summary>SELECT.</summary>
    Select = 1,

    /// <summary>INSERT.</summary>
    Insert = 2,

    /// <summary>UPDATE.</summary>
    Update = 4,

    /// <summary>DELETE.</summary>
    Delete = 8,
}

/// <summary>What one role may do with one table.</summary>
/// <param name="Schema">The table's schema.</param>
/// <param name="Table">The table's name.</param>
/// <param name="Access">The privileges granted; everything else is revoked.</param>
public sealed record TablePrivileges(string Schema, string Table, TableAccess Access)
{
    /// <summary>The privileges as SQL keywords, in a fixed order.</summary>
    public IReadOnlyList<string> Keywords() =>
    [
        .. Access.HasFlag(TableAccess.Select) ? ["SELECT"] : Array.Empty<string>(),
        .. Access.HasFlag(TableAccess.Insert) ? ["INSERT"] : Array.Empty<string>(),
        .. Access.HasFlag(TableAccess.Update) ? ["UPDATE"] : Array.Empty<string>(),
        .. Access.HasFlag(TableAccess.Delete) ? ["DELETE"] : Array.Empty<string>(),
    ];
}
