namespace Kontakt.Core.Security;

/// <summary>A key that is not revoked already has this name.</summary>
public sealed class ApiKeyNameTakenException : Exception
{
    /// <summary>The standard message.</summary>
    public ApiKeyNameTakenException()
        : base("A key that is not revoked already has this name.")
    {
    }

    /// <summary>A message of the caller's.</summary>
    public ApiKeyNameTakenException(string message)
        : base(message)
    {
    }

    /// <summary>A message of the caller's and the database error behind it.</summary>
    public ApiKeyNameTakenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
