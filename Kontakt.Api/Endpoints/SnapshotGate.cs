using Kontakt.Core.Temporal;
using Microsoft.Extensions.Options;

namespace Kontakt.Api.Endpoints;

/// <summary>
/// Admits at most <see cref="SnapshotOptions.MaxConcurrent"/> exports at once; the next is refused (429)
/// rather than queued, since it would otherwise wait for a download of unknown length.
/// </summary>
public sealed class SnapshotGate(IOptions<SnapshotOptions> options) : IDisposable
{
    /// <summary>Seconds a refused client is told to wait: exports are long, so not a tight retry loop.</summary>
    public const int RetryAfterSeconds = 30;

    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrent, options.Value.MaxConcurrent);

    /// <summary>A slot to release (dispose) when the export ends, or null when all are taken.</summary>
    public IDisposable? TryEnter() => _slots.Wait(0) ? new Slot(_slots) : null;

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
