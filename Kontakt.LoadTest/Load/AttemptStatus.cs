namespace Kontakt.LoadTest.Load;

/// <summary>
/// The outcome of one HTTP attempt as a number: the HTTP status, or one of the two codes
/// below for attempts that got no status at all.
/// </summary>
public static class AttemptStatus
{
    /// <summary>The connection failed or broke before a response.</summary>
    public const int TransportError = 0;

    /// <summary>No response within the client timeout.</summary>
    public const int Timeout = 1;

    /// <summary>Highest value a status can take, plus one (array size for counters).</summary>
    public const int Slots = 600;

    public static string Describe(int status) => status switch
    {
        TransportError => "transport error",
        Timeout => "timeout",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static bool IsSuccess(int status) => status is >= 200 and < 300;
}
