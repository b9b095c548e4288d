using Kontakt.Core.Storage;
using Kontakt.Tests.Support;
using Npgsql;

namespace Kontakt.Tests.Storage;

/// <summary>The batch's SQL and its reader agree by construction; when they do not, no record is blamed.</summary>
public sealed class BatchShapeTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_apply_statement_answers_with_exactly_the_columns_the_writer_reads()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var create = new NpgsqlCommand(BatchSql.CreateStagingTables, connection, transaction))
        {
            await create.ExecuteNonQueryAsync();
        }
        await using var apply = new NpgsqlCommand(BatchSql.ApplyBatch, connection, transaction);
        await using var reader = await apply.ExecuteReaderAsync(System.Data.CommandBehavior.SchemaOnly);

        ApplyResult.CheckShape(reader);
        Assert.Equal(["ord", "patient_id", "new_patient", "received_at", "replayed", "conflict"],
            Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
    }

    [Fact]
    public void Only_the_lock_statement_answers_before_the_apply_statement()
    {
        Assert.Equal(1, BatchSql.ResultSetsBeforeApply);
        Assert.Equal([BatchSql.TakeCommitLock, BatchSql.ApplyBatch], BatchSql.ApplyStatements.Where(s => s.ReturnsRows).Select(s => s.Sql));
        Assert.Equal(BatchSql.Commit, BatchSql.ApplyStatements[^1].Sql);
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
