using System.Diagnostics;
using System.Globalization;

namespace Kontakt.Tests.Support;

/// <summary>POSIX signals for the fault tests, sent the way an operator or the kernel would.</summary>
public static class Signals
{
    public const string Kill = "KILL";
    public const string Terminate = "TERM";
    public const string Stop = "STOP";
    public const string Continue = "CONT";

    public static void Send(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-s", signal, pid.ToString(CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("kill(1) did not start");
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
