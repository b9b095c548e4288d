using Kontakt.Core.Temporal;
using Microsoft.Extensions.Options;

namespace Kontakt.Api.Hosting;

/// <summary>
/// Probes the standby every <see cref="StandbyOptions.ProbeInterval"/>: its replay lag for the metrics, and whether
/// public reads may go back to it after it was found unreachable. Does nothing without a standby.
/// </summary>
internal sealed class StandbyMonitorService(ReadDataSource reads, StandbyStatus status, IOptions<StandbyOptions> options, TimeProvider time)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!status.Configured)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.ProbeInterval, time);
        do
        {
            await reads.ProbeStandbyAsync(stoppingToken);
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
