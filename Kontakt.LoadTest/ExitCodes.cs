namespace Kontakt.LoadTest;

/// <summary>The process exit codes <c>--help</c> documents.</summary>
public static class ExitCodes
{
    public const int Passed = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int CouldNotRun = 3;
}
