using Npgsql;
using NpgsqlTypes;

namespace Kontakt.Core.Imports;

/// <summary>A read-only stream over a job's stored file, one chunk (1 MiB) in memory at a time.</summary>
internal sealed class ImportFileStream(NpgsqlDataSource dataSource, Guid jobId, int chunks) : Stream
{
    private byte[] _chunk = [];
    private int _position;
    private int _next;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_position == _chunk.Length)
        {
            if (_next == chunks)
            {
                return 0;
            }
            _chunk = await ReadChunkAsync(_next++, cancellationToken);
            _position = 0;
        }
        var count = Math.Min(buffer.Length, _chunk.Length - _position);
        _chunk.AsMemory(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private async Task<byte[]> ReadChunkAsync(int seq, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var read = new NpgsqlCommand(ImportJobSql.ReadChunk, connection);
        read.Parameters.AddWithValue("job_id", NpgsqlDbType.Uuid, jobId);
        read.Parameters.AddWithValue("seq", NpgsqlDbType.Integer, seq);
        // A chunk missing mid-job means the job was cancelled under us (its file deleted): the runner then finds its lease gone.
        return await read.ExecuteScalarAsync(cancellationToken) as byte[]
            ?? throw new ImportFileGoneException(jobId);
    }
}

/// <summary>The stored file of a job was deleted while it was being read (the job was cancelled).</summary>
public sealed class ImportFileGoneException(Guid jobId) : Exception($"The file of import job {jobId} is no longer stored (the job was cancelled).");
