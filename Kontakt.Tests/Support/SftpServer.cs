using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kontakt.Tests.Support;

/// <summary>
/// Debian's OpenSSH server on a loopback port with a throwaway host key and client key, serving only
/// <c>internal-sftp</c> with the umask docs/integrations.md recommends, as the user running the tests.
/// No chroot: sshd refuses one under a world-writable /tmp, and the delivery itself is what is tested.
/// </summary>
internal sealed class SftpServer : IAsyncDisposable
{
    private const string Sshd = "/usr/sbin/sshd";
    private readonly string _directory;
    private readonly Process _sshd;

    private SftpServer(string directory, int port, Process sshd)
    {
        _directory = directory;
        Port = port;
        _sshd = sshd;
    }

    public int Port { get; }

    private string ClientKey => Path.Combine(_directory, "client_ed25519");

    public static async Task<SftpServer> StartAsync()
    {
        foreach (var tool in new[] { Sshd, "/usr/bin/sftp", "/usr/bin/ssh-keygen" })
        {
            Assert.True(File.Exists(tool), $"{tool} is missing: install Debian's openssh-server and openssh-client (.ci/run does).");
        }
        var directory = Directory.CreateTempSubdirectory("kontakt-sshd-").FullName;
        await RunAsync("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(directory, "host_ed25519"));
        await RunAsync("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(directory, "client_ed25519"));
        File.Copy(Path.Combine(directory, "client_ed25519.pub"), Path.Combine(directory, "authorized_keys"));
        if (Environment.UserName == "root")
        {
            // sshd started as root insists on its privilege separation directory (normally made by the service unit).
            Directory.CreateDirectory("/run/sshd");
        }
        var port = FreePorts.Next();
        var config = Path.Combine(directory, "sshd_config");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            Port {port}
            ListenAddress 127.0.0.1
            HostKey {directory}/host_ed25519
            PidFile {directory}/sshd.pid
            AuthorizedKeysFile {directory}/authorized_keys
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            AllowTcpForwarding no
            X11Forwarding no
            Subsystem sftp internal-sftp
            ForceCommand internal-sftp -u 0027
            """));
        var sshd = Process.Start(new ProcessStartInfo(Sshd, ["-D", "-e", "-f", config]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var server = new SftpServer(directory, port, sshd);
        try
        {
            await Eventually.TrueAsync(async () => !sshd.HasExited && await AcceptsAsync(port), TimeSpan.FromSeconds(15), "sshd did not start listening");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Runs <c>sftp -b</c> with <paramref name="commands"/> as the test user; fails the test with sftp's output if it fails.</summary>
    public async Task RunBatchAsync(params string[] commands)
    {
        var batch = Path.Combine(_directory, "batch-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllLinesAsync(batch, commands);
        await RunAsync("/usr/bin/sftp", "-b", batch, "-i", ClientKey, "-P", Port.ToString(CultureInfo.InvariantCulture),
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
            $"{Environment.UserName}@127.0.0.1");
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(program)} exited with {process.ExitCode}: {await output}{await error}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_sshd.HasExited)
        {
            _sshd.Kill(entireProcessTree: true);
            await _sshd.WaitForExitAsync();
        }
        _sshd.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
