using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Kontakt.LoadTest.Baselines;

/// <summary>
/// The snapshot benchmark: streams <c>GET /v1/snapshots/public</c> through a counting reader (rows,
/// bytes, SHA-256, never holding the body), compares with the manifest for the same time, and reads the
/// API's resident memory from <c>/metrics</c> before and after to show the export ran in constant memory.
/// </summary>
public static class SnapshotCheck
{
    /// <param name="target">The API's base URL.</param>
    /// <param name="asOf">The system time to export; null for the stable horizon.</param>
    /// <param name="analystKey">An analyst (or admin) key for the snapshot endpoints; null sends none.</param>
    /// <param name="output">Where the figures go.</param>
    public static async Task<int> RunAsync(Uri target, string? asOf, string? analystKey, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var http = new HttpClient { BaseAddress = target, Timeout = TimeSpan.FromMinutes(30) };
        if (analystKey is not null)
        {
            http.DefaultRequestHeaders.Add(Load.ApiKeys.Header, analystKey);
        }
        var query = asOf is null ? "" : "?asOf=" + Uri.EscapeDataString(asOf);

        var manifestStarted = Stopwatch.GetTimestamp();
        using var manifestDocument = JsonDocument.Parse(await http.GetStringAsync(new Uri("v1/snapshots/public/manifest" + query, UriKind.Relative)));
        var manifestTime = Stopwatch.GetElapsedTime(manifestStarted);
        var manifest = manifestDocument.RootElement;
        var effective = manifest.GetProperty("asOf").GetString()!;
        var expectedRows = manifest.GetProperty("patients").GetInt64();
        var expectedSha = manifest.GetProperty("sha256").GetString()!;

        var rssBefore = await ResidentBytesAsync(http);
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(new Uri("v1/snapshots/public?asOf=" + Uri.EscapeDataString(effective), UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long rows = 0, bytes = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            bytes += read;
            rows += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        var rssAfter = await ResidentBytesAsync(http);
        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());

        output.WriteLine($"Snapshot as of {effective}: {rows:N0} rows, {bytes / 1e6:N1} MB in {elapsed.TotalSeconds:N2} s = {rows / elapsed.TotalSeconds:N0} rows/s");
        output.WriteLine($"Manifest: {expectedRows:N0} patients in {manifestTime.TotalSeconds:N2} s");
        output.WriteLine($"API resident memory: {rssBefore / 1048576.0:N0} MiB before, {rssAfter / 1048576.0:N0} MiB after the export");
        var matches = rows == expectedRows && sha == expectedSha;
        output.WriteLine(matches ? "PASS  export = manifest (rows and SHA-256)" : $"FAIL  export {rows:N0} rows, sha256 {sha}; manifest {expectedRows:N0}, {expectedSha}");
        return matches ? ExitCodes.Passed : ExitCodes.Failed;
    }

    private static async Task<double> ResidentBytesAsync(HttpClient http)
    {
        var metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
        // "dotnet_process_memory_working_set_bytes{} 195432448" (the OpenTelemetry exporter writes the braces).
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("dotnet_process_memory_working_set_bytes", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }
}
