using Kontakt.Api.Hosting;
using Kontakt.Core.Imports;
using Kontakt.Core.Records;
using Microsoft.Extensions.Options;

namespace Kontakt.Api.DropFolder;

/// <summary>
/// Turns files delivered into <see cref="DropFolderOptions.Path"/> into import jobs. A complete file (unchanged for
/// <see cref="DropFolderOptions.StableFor"/>; names starting with <c>.</c> are uploads still being written) is
/// stored as a job, then moved to <c>processing/</c>; once its job ends it moves to <c>processed/</c> or
/// <c>failed/</c> with <c>&lt;name&gt;.errors.ndjson</c> beside it. A file is never imported twice: a file seen
/// again after a crash (still in the folder or in <c>processing/</c>) has the same SHA-256 and finds its job.
/// </summary>
internal sealed partial class DropFolderService(
    ImportJobStore store,
    ImportFormats formats,
    ImportSignal signal,
    IOptions<DropFolderOptions> options,
    IOptions<ImportOptions> importOptions,
    ILogger<DropFolderService> logger) : BackgroundService
{
    /// <summary>
    /// The client name the folder's jobs and their records are stored under (jobs visible to admin keys at
    /// <c>/v1/imports</c>): the keyless interface channels' one client, shared with MLLP.
    /// </summary>
    public const string Client = RecordClients.Interfaces;

    private const string Processing = "processing";
    private const string Processed = "processed";
    private const string Failed = "failed";

    // Files taken by this process whose jobs have not ended: path in processing/ → job.
    private readonly Dictionary<string, Guid> _running = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Path))
        {
            return;
        }
        var root = System.IO.Path.GetFullPath(settings.Path);
        foreach (var folder in new[] { root, Combine(root, Processing), Combine(root, Processed), Combine(root, Failed) })
        {
            Directory.CreateDirectory(folder);
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // After a restart, files left in processing/ are taken again: the upload finds their job by SHA-256.
                foreach (var path in Directory.EnumerateFiles(Combine(root, Processing)).Where(p => !_running.ContainsKey(p)))
                {
                    await TakeAsync(root, path, alreadyInProcessing: true, stoppingToken);
                }
                foreach (var path in Directory.EnumerateFiles(root))
                {
                    if (IsComplete(path, settings.StableFor))
                    {
                        await TakeAsync(root, path, alreadyInProcessing: false, stoppingToken);
                    }
                }
                await FinishEndedJobsAsync(root, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or Npgsql.NpgsqlException)
            {
                LogFolderFailed(logger, error);
            }
            try
            {
                await Task.Delay(settings.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The format of a file by its name; null for names this folder does not (yet) import.</summary>
    internal IImportFormat? FormatOf(string fileName)
    {
        // *.fhir.ndjson is tested before *.ndjson: both end in ".ndjson".
        if (fileName.EndsWith(".fhir.ndjson", StringComparison.OrdinalIgnoreCase))
        {
            return formats.ByName("fhir-ndjson");
        }
        if (fileName.EndsWith(".hl7", StringComparison.OrdinalIgnoreCase))
        {
            return formats.ByName("hl7");
        }
        if (fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return formats.ByName("csv");
        }
        return fileName.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) ? formats.ByName("ndjson") : null;
    }

    private bool IsComplete(string path, TimeSpan stableFor)
    {
        var name = System.IO.Path.GetFileName(path);
        if (name.StartsWith('.') || FormatOf(name) is null)
        {
            return false;
        }
        return DateTime.UtcNow - File.GetLastWriteTimeUtc(path) >= stableFor;
    }

    private async Task TakeAsync(string root, string path, bool alreadyInProcessing, CancellationToken cancellationToken)
    {
        var name = System.IO.Path.GetFileName(path);
        if (FormatOf(name) is not { } format)
        {
            return;
        }
        ImportUploadOutcome outcome;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            outcome = await store.UploadAsync(file, Client, format, new ImportFormatOptions(), force: false, importOptions.Value.MaxBytes, cancellationToken);
        }
        var inProcessing = alreadyInProcessing ? path : MoveTo(root, Processing, path);
        switch (outcome)
        {
            case ImportUploadOutcome.Created created:
                signal.JobQueued();
                _running[inProcessing] = created.Job.JobId;
                LogFileQueued(logger, created.Job.JobId);
                break;
            case ImportUploadOutcome.Existing existing:
                _running[inProcessing] = existing.Job.JobId;
                break;
            case ImportUploadOutcome.Refused refused:
                await WriteErrorsAsync(MoveTo(root, Failed, inProcessing), refused.Errors.Select(e => new ImportLineError(1, e.Field, e.Message)).ToAsyncEnumerable(), cancellationToken);
                break;
            case ImportUploadOutcome.TooLarge tooLarge:
                await WriteErrorsAsync(MoveTo(root, Failed, inProcessing),
                    new[] { new ImportLineError(0, "$", $"the file is larger than {tooLarge.MaxBytes:N0} bytes (Kontakt:Imports:MaxBytes).") }.ToAsyncEnumerable(), cancellationToken);
                break;
        }
    }

    private async Task FinishEndedJobsAsync(string root, CancellationToken cancellationToken)
    {
        foreach (var (path, jobId) in _running.ToArray())
        {
            var job = await store.FindAsync(jobId, cancellationToken);
            if (job is null || job.Status is ImportJobStatus.Queued or ImportJobStatus.Running)
            {
                continue;
            }
            var target = FreeName(root, job.Status == ImportJobStatus.Completed ? Processed : Failed, path);
            // The report first, whole, under its final name; then the file: whoever sees the file beside it finds a complete report.
            await WriteErrorsAsync(target, store.ErrorsAsync(jobId, cancellationToken), cancellationToken);
            File.Move(path, target);
            _running.Remove(path);
        }
    }

    private static async Task WriteErrorsAsync(string file, IAsyncEnumerable<ImportLineError> errors, CancellationToken cancellationToken)
    {
        var report = file + ".errors.ndjson";
        var partial = Combine(System.IO.Path.GetDirectoryName(report)!, "." + System.IO.Path.GetFileName(report) + ".partial");
        await using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write))
        {
            await Endpoints.ImportErrorReport.WriteAsync(errors, stream, cancellationToken);
        }
        File.Move(partial, report, overwrite: true);
    }

    private static string MoveTo(string root, string folder, string path)
    {
        var target = FreeName(root, folder, path);
        File.Move(path, target);
        return target;
    }

    // A name already taken in the target folder (the same name delivered twice) gets a numbered suffix.
    private static string FreeName(string root, string folder, string path)
    {
        var name = System.IO.Path.GetFileName(path);
        var target = Combine(Combine(root, folder), name);
        for (var n = 1; File.Exists(target); n++)
        {
            target = Combine(Combine(root, folder), $"{System.IO.Path.GetFileNameWithoutExtension(name)}.{n}{System.IO.Path.GetExtension(name)}");
        }
        return target;
    }

    private static string Combine(string folder, string name) => System.IO.Path.Combine(folder, name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drop folder: a file became import job {JobId}")]
    private static partial void LogFileQueued(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drop folder: looking at the folder failed; retrying")]
    private static partial void LogFolderFailed(ILogger logger, Exception error);
}
