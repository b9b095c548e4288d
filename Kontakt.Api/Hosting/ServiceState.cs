namespace Kontakt.Api.Hosting;

/// <summary>Start-up progress that readiness reports on.</summary>
internal sealed class ServiceState
{
    private volatile bool _migrationsApplied;
    private volatile int _writersRunning;

    public bool MigrationsApplied => _migrationsApplied;

    public int WritersRunning => _writersRunning;

    public void MarkMigrationsApplied() => _migrationsApplied = true;

    public void WriterStarted() => Interlocked.Increment(ref _writersRunning);

    public void WriterStopped() => Interlocked.Decrement(ref _writersRunning);
}
