using Kontakt.Core.Ingest;
using Kontakt.Core.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Kontakt.Api.Hosting;

/// <summary>
/// Runs the background writers. On shutdown it stops the queue taking records and lets the
/// writers drain and commit everything already accepted (202s included) before it returns.
/// </summary>
internal sealed partial class IngestWriterService(
    IngestQueue queue,
    NpgsqlDataSource dataSource,
    IOptions<IngestOptions> options,
    IngestObserver observer,
    ServiceState state,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly CancellationTokenSource _abort = new();
    private readonly ILogger _logger = loggerFactory.CreateLogger<IngestWriterService>();

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // stoppingToken fires as shutdown begins; writers must keep going until drained, so
        // they follow _abort instead, which fires only if the shutdown timeout runs out.
        var writers = Enumerable.Range(0, options.Value.Writers).Select(_ => RunWriterAsync());
        return Task.WhenAll(writers);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        LogDraining(_logger, queue.PendingRecords);
        try
        {
            if (ExecuteTask is { } running)
            {
                await running.WaitAsync(cancellationToken);
            }
            LogDrained(_logger);
        }
        catch (OperationCanceledException)
        {
            LogDrainAbandoned(_logger, queue.PendingRecords);
            await _abort.CancelAsync();
        }
        await base.StopAsync(CancellationToken.None);
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    private async Task RunWriterAsync()
    {
        await Task.Yield();
        await using var store = new PostgresBatchWriter(dataSource);
        var writer = new IngestWriter(queue, store, options.Value, observer, loggerFactory.CreateLogger<IngestWriter>());
        state.WriterStarted();
        try
        {
            await writer.RunAsync(_abort.Token);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
        }
        finally
        {
            state.WriterStopped();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: draining {PendingRecords} accepted records")]
    private static partial void LogDraining(ILogger logger, int pendingRecords);

    [LoggerMessage(Level = LogLevel.Information, Message = "All accepted records committed")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Shutdown timeout: {PendingRecords} accepted records were not committed")]
    private static partial void LogDrainAbandoned(ILogger logger, int pendingRecords);
}
