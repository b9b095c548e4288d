using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Kontakt.Core.Security;

/// <summary>
/// <c>security.access_events</c>: who read PHI or tried to. Only ever inserted into and read;
/// the runtime database role has no UPDATE or DELETE on it.
/// </summary>
public sealed class AccessLog(NpgsqlDataSource dataSource)
{
    /// <summary>The largest page <see cref="QueryAsync"/> returns.</summary>
    public const int MaxPageSize = 1000;

    private const string InsertSql = """
        INSERT INTO security.access_events (occurred_at, actor, role, action, patient_ids, client_address, outcome)
        VALUES (clock_timestamp(), @actor, @role, @action, @patient_ids, @client_address, @outcome)
        """;

    private const string SelectSql = """
        SELECT event_id, occurred_at, actor, role, action, patient_ids, client_address, outcome
        FROM security.access_events
        WHERE true
        """;

    /// <summary>Writes <paramref name="attempt"/> in a transaction of its own.</summary>
    public async Task WriteAsync(AccessAttempt attempt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await WriteAsync(connection, attempt, cancellationToken);
    }

    /// <summary>Writes <paramref name="attempt"/> on <paramref name="connection"/>, inside its open transaction if any.</summary>
    public static async Task WriteAsync(NpgsqlConnection connection, AccessAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        await using var command = new NpgsqlCommand(InsertSql, connection);
        command.Parameters.Add(new NpgsqlParameter<string>("actor", attempt.Actor));
        command.Parameters.Add(new NpgsqlParameter("role", NpgsqlDbType.Text) { Value = (object?)attempt.Role ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<string>("action", attempt.Action));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("patient_ids", [.. attempt.PatientIds]) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter("client_address", NpgsqlDbType.Text) { Value = (object?)attempt.ClientAddress ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<string>("outcome", attempt.Outcome));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Events matching <paramref name="filter"/>, newest first, at most <paramref name="limit"/>,
    /// all older than event <paramref name="before"/> when it is given (keyset paging: a page
    /// never shifts when new events arrive).
    /// </summary>
    public async Task<AccessEventPage> QueryAsync(AccessEventFilter filter, int limit, long? before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);

        // Only the fixed fragments of the criteria present are appended, so each combination gets
        // a plan that can use its index (the GIN index on patient_ids, actor's, occurred_at's).
        var sql = new StringBuilder(SelectSql);
        await using var command = dataSource.CreateCommand();
        if (filter.PatientId is { } patientId)
        {
            sql.Append(" AND patient_ids @> ARRAY[@patient_id]");
            command.Parameters.Add(new NpgsqlParameter<Guid>("patient_id", patientId));
        }
        if (filter.Actor is { } actor)
        {
            sql.Append(" AND actor = @actor");
            command.Parameters.Add(new NpgsqlParameter<string>("actor", actor));
        }
        if (filter.From is { } from)
        {
            sql.Append(" AND occurred_at >= @from");
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from));
        }
        if (filter.To is { } to)
        {
            sql.Append(" AND occurred_at < @to");
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", to));
        }
        if (before is { } cursor)
        {
            sql.Append(" AND event_id < @before");
            command.Parameters.Add(new NpgsqlParameter<long>("before", cursor));
        }
        sql.Append(" ORDER BY event_id DESC LIMIT @limit");
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit + 1));
        command.CommandText = sql.ToString();

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<AccessEventView>(Math.Min(limit + 1, 64));
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new AccessEventView(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                reader.GetFieldValue<Guid[]>(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetString(7)));
        }
        if (events.Count <= limit)
        {
            return new AccessEventPage(events, NextBefore: null);
        }
        events.RemoveAt(limit);
        return new AccessEventPage(events, events[^1].EventId);
    }
}
