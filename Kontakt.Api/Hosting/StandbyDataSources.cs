using Npgsql;

namespace Kontakt.Api.Hosting;

/// <summary>The standby's two pools, like the primary's: public reads, and exports (limited to the export count). Null without a standby.</summary>
internal sealed class StandbyDataSources(NpgsqlDataSource? reads, NpgsqlDataSource? snapshots) : IAsyncDisposable
{
    public NpgsqlDataSource? Reads => reads;

    public NpgsqlDataSource? Snapshots => snapshots;

    public async ValueTask DisposeAsync()
    {
        if (reads is not null)
        {
            await reads.DisposeAsync();
        }
        if (snapshots is not null)
        {
            await snapshots.DisposeAsync();
        }
    }
}
