using Kontakt.Core.Storage;
using Kontakt.Tests.Support;
using Npgsql;

namespace Kontakt.Tests.Storage;

/// <summary>The batch's SQL and its reader agree by construction; when they do not, no record is blamed.</summary>
public sealed class BatchShapeTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_outcomes_the_apply_statement_stores_come_back_with_exactly_the_columns_the_writer_reads()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var create = new NpgsqlCommand(BatchSql.CreateStagingTables, connection, transaction))
        {
            await create.ExecuteNonQueryAsync();
        }
        await using (var apply = new NpgsqlCommand(BatchSql.ApplyBatch, connection, transaction))
        {
            // Preparing plans it: the INSERT into kontakt_outcomes names every outcome column.
            await apply.PrepareAsync();
        }
        await using (var declare = new NpgsqlCommand(BatchSql.DeclareOutcomes, connection, transaction))
        {
            await declare.ExecuteNonQueryAsync();
        }
        await using var fetch = new NpgsqlCommand(BatchSql.FetchOutcomes, connection, transaction);
        await using var reader = await fetch.ExecuteReaderAsync();

        ApplyResult.CheckShape(reader);
        Assert.Equal(["ord", "patient_id", "new_patient", "received_at", "replayed", "conflict"],
            Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
    }

    [Fact]
    public void The_outcomes_are_fetched_only_after_the_commit_released_the_commit_order_lock()
    {
        var statements = BatchSql.ApplyStatements.Select(s => s.Sql).ToList();
        Assert.Equal(1, BatchSql.ResultSetsBeforeOutcomes);
        Assert.Equal([BatchSql.TakeCommitLock, BatchSql.FetchOutcomes], BatchSql.ApplyStatements.Where(s => s.ReturnsRows).Select(s => s.Sql));
        Assert.True(statements.IndexOf(BatchSql.ApplyBatch) < statements.IndexOf(BatchSql.DeclareOutcomes));
        Assert.True(statements.IndexOf(BatchSql.DeclareOutcomes) < statements.IndexOf(BatchSql.Commit));
        Assert.True(statements.IndexOf(BatchSql.Commit) < statements.IndexOf(BatchSql.FetchOutcomes));
        Assert.Equal(BatchSql.CloseOutcomes, statements[^1]);
    }

    [Theory]
    [InlineData("SELECT 1 AS ord")]
    [InlineData("SELECT 0 AS ord, gen_random_uuid() AS patient_id, true AS new_patient, now() AS received_at, false AS conflict, false AS replayed")]
    public async Task An_answer_of_the_wrong_shape_is_a_writer_fault_that_is_retried_never_a_refused_record(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();

        var error = Assert.Throws<BatchShapeException>(() => ApplyResult.CheckShape(reader));

        Assert.Null(BatchFailure.RefusalReason(error));
    }

    [Fact]
    public async Task Only_data_errors_of_a_record_are_refusals()
    {
        await using var command = database.DataSource.CreateCommand("SELECT 'x\u0001'::text::date");
        var dataError = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteScalarAsync());

        Assert.Contains(dataError.SqlState, BatchFailure.RefusalReason(dataError), StringComparison.Ordinal);
        Assert.Null(BatchFailure.RefusalReason(new InvalidCastException()));
        Assert.Null(BatchFailure.RefusalReason(new NpgsqlException("connection lost")));
    }
}
