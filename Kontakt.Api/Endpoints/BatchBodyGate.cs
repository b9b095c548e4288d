using Kontakt.Core.Ingest;
using Microsoft.Extensions.Options;

namespace Kontakt.Api.Endpoints;

/// <summary>
/// Bounds how many batch bodies are read and validated at once (<see cref="IngestOptions.MaxConcurrentBatchBodies"/>),
/// so that many large bodies arriving together cannot take memory without limit.
/// </summary>
public sealed class BatchBodyGate(IOptions<IngestOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _places = new(options.Value.MaxConcurrentBatchBodies, options.Value.MaxConcurrentBatchBodies);

    /// <summary>Waits up to <see cref="IngestOptions.BatchBodyWait"/> for a place; <c>null</c> when none came free.</summary>
    public async Task<IDisposable?> EnterAsync(CancellationToken cancellationToken) =>
        await _places.WaitAsync(options.Value.BatchBodyWait, cancellationToken) ? new Place(_places) : null;

    public void Dispose() => _places.Dispose();

    private sealed class Place(SemaphoreSlim places) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                places.Release();
            }
        }
    }
}
