using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Kontakt.Core.Records;
using Npgsql;
using NpgsqlTypes;

namespace Kontakt.Core.Imports;

/// <summary>
/// Import jobs in PostgreSQL: the uploaded file (in 1 MiB chunks, so any process can resume a job),
/// each job's progress and lease, and its error report. Every process of a deployment shares them.
/// </summary>
public sealed class ImportJobStore(NpgsqlDataSource dataSource)
{
    /// <summary>Size of a stored chunk: what an upload holds in memory at once, whatever the file's size.</summary>
    public const int ChunkBytes = 1024 * 1024;

    /// <summary>The reason a job cancelled by its client gives.</summary>
    public const string CancelledReason = "cancelled by the client (DELETE); lines committed before the cancel stay stored.";

    /// <summary>
    /// Streams <paramref name="body"/> into chunks inside one transaction, hashing it on the way, and
    /// commits a queued job only once the whole file is stored: an upload cut short leaves nothing behind.
    /// </summary>
    public async Task<ImportUploadOutcome> UploadAsync(
        Stream body, string client, IImportFormat format, ImportFormatOptions options, bool force, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(options);
        var jobId = ImportJobIds.Next();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkBytes];
        long bytes = 0;
        var chunks = 0;
        await using var insert = new NpgsqlCommand(ImportJobSql.InsertChunk, connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<Guid>("job_id", NpgsqlDbType.Uuid) { TypedValue = jobId });
        var seq = new NpgsqlParameter<int>("seq", NpgsqlDbType.Integer);
        var data = new NpgsqlParameter<ReadOnlyMemory<byte>>("data", NpgsqlDbType.Bytea);
        insert.Parameters.Add(seq);
        insert.Parameters.Add(data);
        while (true)
        {
            var filled = await FillAsync(body, buffer, cancellationToken);
            if (filled == 0)
            {
                break;
            }
            bytes += filled;
            if (bytes > maxBytes)
            {
                return new ImportUploadOutcome.TooLarge(maxBytes);
            }
            if (chunks == 0)
            {
                var head = format.CheckHead(buffer.AsSpan(0, filled), isWholeFile: filled < buffer.Length, options);
                if (head.Count > 0)
                {
                    return new ImportUploadOutcome.Refused(head);
                }
            }
            hash.AppendData(buffer, 0, filled);
            seq.TypedValue = chunks++;
            data.TypedValue = buffer.AsMemory(0, filled);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            if (filled < buffer.Length)
            {
                break;
            }
        }
        if (bytes == 0)
        {
            return new ImportUploadOutcome.Refused([new FieldError("$", "the file is empty.")]);
        }

        var sha256 = hash.GetHashAndReset();
        await using (var lockFile = new NpgsqlCommand(ImportJobSql.LockClientFile, connection, transaction))
        {
            lockFile.Parameters.AddWithValue("client", NpgsqlDbType.Text, client);
            lockFile.Parameters.AddWithValue("sha256", NpgsqlDbType.Bytea, sha256);
            await lockFile.ExecuteNonQueryAsync(cancellationToken);
        }
        if (!force)
        {
            await using var same = new NpgsqlCommand(ImportJobSql.FindSameFile, connection, transaction);
            same.Parameters.AddWithValue("client", NpgsqlDbType.Text, client);
            same.Parameters.AddWithValue("sha256", NpgsqlDbType.Bytea, sha256);
            await using var reader = await same.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                // Rolled back with the transaction: the chunks just written are not kept.
                return new ImportUploadOutcome.Existing(ReadJob(reader));
            }
        }
        await using (var job = new NpgsqlCommand(ImportJobSql.InsertJob, connection, transaction))
        {
            job.Parameters.AddWithValue("job_id", NpgsqlDbType.Uuid, jobId);
            job.Parameters.AddWithValue("client", NpgsqlDbType.Text, client);
            job.Parameters.AddWithValue("sha256", NpgsqlDbType.Bytea, sha256);
            job.Parameters.AddWithValue("format", NpgsqlDbType.Text, format.Name);
            job.Parameters.AddWithValue("ignore_unknown_columns", NpgsqlDbType.Boolean, options.IgnoreUnknownColumns);
            job.Parameters.AddWithValue("bytes", NpgsqlDbType.Bigint, bytes);
            job.Parameters.AddWithValue("chunks", NpgsqlDbType.Integer, chunks);
            await job.ExecuteNonQueryAsync(cancellationToken);
        }
        var created = await FindAsync(connection, transaction, jobId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ImportUploadOutcome.Created(created!);
    }

    /// <summary>The job, or null when there is none with this ID.</summary>
    public async Task<ImportJob?> FindAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, null, jobId, cancellationToken);
    }

    /// <summary>Up to <paramref name="limit"/> jobs, newest first, older than <paramref name="after"/>; only <paramref name="client"/>'s unless null.</summary>
    public async Task<IReadOnlyList<ImportJob>> ListAsync(string? client, Guid? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var list = new NpgsqlCommand(ImportJobSql.List, connection);
        list.Parameters.AddWithValue("client", NpgsqlDbType.Text, (object?)client ?? DBNull.Value);
        list.Parameters.AddWithValue("after", NpgsqlDbType.Uuid, after is { } a ? a : DBNull.Value);
        list.Parameters.AddWithValue("limit", NpgsqlDbType.Integer, limit);
        await using var reader = await list.ExecuteReaderAsync(cancellationToken);
        var jobs = new List<ImportJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(ReadJob(reader));
        }
        return jobs;
    }

    /// <summary>Cancels a queued or running job and deletes its file; null when it had already ended.</summary>
    public async Task<ImportJob?> CancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        ImportJob? cancelled = null;
        await using (var cancel = new NpgsqlCommand(ImportJobSql.Cancel, connection, transaction))
        {
            cancel.Parameters.AddWithValue("job_id", NpgsqlDbType.Uuid, jobId);
            cancel.Parameters.AddWithValue("reason", NpgsqlDbType.Text, CancelledReason);
            await using var reader = await cancel.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                cancelled = ReadJob(reader);
            }
        }
        if (cancelled is not null)
        {
            await DeleteChunksAsync(connection, transaction, jobId, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return cancelled;
    }

    /// <summary>The job's error report in line order.</summary>
    public async IAsyncEnumerable<ImportLineError> ErrorsAsync(Guid jobId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var errors = new NpgsqlCommand(ImportJobSql.Errors, connection);
        errors.Parameters.AddWithValue("job_id", NpgsqlDbType.Uuid, jobId);
        await using var reader = await errors.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new ImportLineError(reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
        }
    }

    /// <summary>Claims the oldest unfinished job that no live process holds, for <paramref name="lease"/>; null when there is none.</summary>
    public async Task<ImportClaim?> ClaimAsync(Guid owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var claim = new NpgsqlCommand(ImportJobSql.Claim, connection);
        claim.Parameters.AddWithValue("owner", NpgsqlDbType.Uuid, owner);
        claim.Parameters.AddWithValue("lease", NpgsqlDbType.Interval, lease);
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ImportClaim(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), new ImportFormatOptions(reader.GetBoolean(3)), reader.GetInt32(4), reader.GetInt64(5))
            : null;
    }

    /// <summary>Extends the lease; false when this process no longer holds the job (cancelled, or taken over).</summary>
    public async Task<bool> RenewAsync(Guid jobId, Guid owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var renew = new NpgsqlCommand(ImportJobSql.Renew, connection);
        AddLease(renew, jobId, owner, lease);
        return await renew.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Records a committed step: its errors and counts, and the line a resumed job starts after, in one
    /// transaction. False (and nothing recorded) when this process no longer holds the job.
    /// </summary>
    public async Task<bool> CheckpointAsync(Guid jobId, Guid owner, TimeSpan lease, ImportProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var checkpoint = new NpgsqlCommand(ImportJobSql.Checkpoint, connection, transaction))
        {
            AddLease(checkpoint, jobId, owner, lease);
            checkpoint.Parameters.AddWithValue("line", NpgsqlDbType.Bigint, progress.LastLine);
            checkpoint.Parameters.AddWithValue("received", NpgsqlDbType.Bigint, progress.Received);
            checkpoint.Parameters.AddWithValue("stored", NpgsqlDbType.Bigint, progress.Stored);
            checkpoint.Parameters.AddWithValue("rejected", NpgsqlDbType.Bigint, progress.Rejected);
            if (await checkpoint.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                return false;
            }
        }
        if (progress.Errors.Count > 0)
        {
            await using var errors = new NpgsqlCommand(ImportJobSql.InsertErrors, connection, transaction);
            errors.Parameters.AddWithValue("job_id", NpgsqlDbType.Uuid, jobId);
            errors.Parameters.AddWithValue("lines", NpgsqlDbType.Array | NpgsqlDbType.Bigint, progress.Errors.Select(e => e.Line).ToArray());
            errors.Parameters.AddWithValue("fields", NpgsqlDbType.Array | NpgsqlDbType.Text, progress.Errors.Select(e => e.Field).ToArray());
            errors.Parameters.AddWithValue("reasons", NpgsqlDbType.Array | NpgsqlDbType.Text, progress.Errors.Select(e => e.Reason).ToArray());
            await errors.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Marks the job completed and deletes its file; false when this process no longer holds it.</summary>
    public async Task<bool> CompleteAsync(Guid jobId, Guid owner, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var complete = new NpgsqlCommand(ImportJobSql.Complete, connection, transaction))
        {
            complete.Parameters.AddWithValue("job_id", NpgsqlDbType.Uuid, jobId);
            complete.Parameters.AddWithValue("owner", NpgsqlDbType.Uuid, owner);
            if (await complete.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                return false;
            }
        }
        await DeleteChunksAsync(connection, transaction, jobId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Hands the job back so another process (or this one, restarted) resumes it at once.</summary>
    public async Task ReleaseAsync(Guid jobId, Guid owner, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var release = new NpgsqlCommand(ImportJobSql.Release, connection);
        release.Parameters.AddWithValue("job_id", NpgsqlDbType.Uuid, jobId);
        release.Parameters.AddWithValue("owner", NpgsqlDbType.Uuid, owner);
        await release.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The stored file of a job, read chunk by chunk.</summary>
    public Stream OpenFile(Guid jobId, int chunks) => new ImportFileStream(dataSource, jobId, chunks);

    private static async Task<ImportJob?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid jobId, CancellationToken cancellationToken)
    {
        await using var find = new NpgsqlCommand(ImportJobSql.Find, connection, transaction);
        find.Parameters.AddWithValue("job_id", NpgsqlDbType.Uuid, jobId);
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadJob(reader) : null;
    }

    private static async Task DeleteChunksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid jobId, CancellationToken cancellationToken)
    {
        await using var delete = new NpgsqlCommand(ImportJobSql.DeleteChunks, connection, transaction);
        delete.Parameters.AddWithValue("job_id", NpgsqlDbType.Uuid, jobId);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddLease(NpgsqlCommand command, Guid jobId, Guid owner, TimeSpan lease)
    {
        command.Parameters.AddWithValue("job_id", NpgsqlDbType.Uuid, jobId);
        command.Parameters.AddWithValue("owner", NpgsqlDbType.Uuid, owner);
        command.Parameters.AddWithValue("lease", NpgsqlDbType.Interval, lease);
    }

    private static ImportJob ReadJob(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetInt64(4),
        reader.GetInt64(5),
        reader.GetInt64(6),
        reader.GetInt64(7),
        reader.GetFieldValue<DateTimeOffset>(8),
        reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
        reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
        reader.IsDBNull(11) ? null : reader.GetString(11));

    private static async Task<int> FillAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }
}
