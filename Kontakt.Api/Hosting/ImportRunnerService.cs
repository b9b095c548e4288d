using Kontakt.Core.Imports;
using Microsoft.Extensions.Options;

namespace Kontakt.Api.Hosting;

/// <summary>
/// Runs import jobs, one at a time per process: claims the oldest unfinished job no live process holds
/// (several processes share the work safely), runs it, and looks for the next. On shutdown it hands
/// its job back so the next process resumes it at once; after a crash the job's lease runs out first.
/// </summary>
internal sealed partial class ImportRunnerService(
    ImportJobStore store,
    ImportRunner runner,
    ImportSignal signal,
    IOptions<ImportOptions> options,
    ILogger<ImportRunnerService> logger) : BackgroundService
{
    private readonly Guid _owner = Guid.NewGuid();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.RunJobs)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await store.ClaimAsync(_owner, settings.LeaseTime, stoppingToken) is { } claim)
                {
                    await RunAsync(claim, stoppingToken);
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                LogRunnerFailed(logger, error);
            }
            try
            {
                await signal.WaitAsync(settings.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunAsync(ImportClaim claim, CancellationToken stoppingToken)
    {
        try
        {
            await runner.RunAsync(claim, _owner, stoppingToken);
        }
        catch (Exception error)
        {
            if (error is not OperationCanceledException)
            {
                LogJobInterrupted(logger, claim.JobId, error);
            }
            // Handed back: this process (later) or another resumes it from its checkpoint.
            await store.ReleaseAsync(claim.JobId, _owner, CancellationToken.None);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import job {JobId} was interrupted; it resumes from its checkpoint")]
    private static partial void LogJobInterrupted(ILogger logger, Guid jobId, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for import jobs failed; retrying")]
    private static partial void LogRunnerFailed(ILogger logger, Exception error);
}
