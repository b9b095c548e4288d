namespace Kontakt.Api.Hosting;

/// <summary>Wakes this process's import runner when an upload here queued a job, instead of waiting for its next poll.</summary>
public sealed class ImportSignal : IDisposable
{
    private readonly SemaphoreSlim _queued = new(0, 1);

    /// <summary>A job was queued.</summary>
    public void JobQueued()
    {
        if (_queued.CurrentCount == 0)
        {
            try
            {
                _queued.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled: one wake-up covers any number of uploads.
            }
        }
    }

    /// <summary>Waits for an upload or for <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _queued.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _queued.Dispose();
}
