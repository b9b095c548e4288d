namespace Kontakt.LoadTest.Cli;

/// <summary>What sends the records (<c>--client</c>).</summary>
public enum LoadClient
{
    /// <summary><see cref="HttpClient"/>, as most of the service's real clients: the realistic default.</summary>
    Http,

    /// <summary>HTTP/1.1 written to and parsed from plain sockets: less CPU per request, left to the service under test.</summary>
    Raw,
}
