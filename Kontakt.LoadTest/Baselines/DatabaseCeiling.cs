using System.Diagnostics;
using Kontakt.Core.Records;
using Kontakt.Core.Storage;
using Kontakt.LoadTest.Data;
using Npgsql;

namespace Kontakt.LoadTest.Baselines;

/// <summary>
/// Baseline (b), the database ceiling: the service's own batch transaction (binary COPY to staging,
/// identity resolution, audit and public inserts, commit) driven directly by N writers with no HTTP,
/// on the same generated data the load test sends.
/// </summary>
public static class DatabaseCeiling
{
    // Every record as one API key would send it: the service's batches are mostly one client's.
    private const string Client = "database-ceiling";

    public static async Task<int> RunAsync(string connectionString, int records, int batchSize, int writers, int seed, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var plan = RecordPlanner.Create(new RecordPlanSettings(records, seed, Returning: 0.2, ColorChanges: 0.1, DateOnly.FromDateTime(DateTime.UtcNow)));
        var runId = RecordIdScheme.NewRunId(DateTimeOffset.UtcNow);
        var validator = new RecordValidator(TimeProvider.System);
        var prepared = new ValidatedRecord[records];
        var errors = new List<FieldError>();
        for (var sequence = 0; sequence < records; sequence++)
        {
            var planned = plan[sequence];
            prepared[sequence] = validator.Validate(new RecordRequest
            {
                Name = planned.Name,
                Dob = plan.DobOf(sequence).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                FavoriteColor = planned.FavoriteColor,
                RecordId = $"db-{runId}-{sequence}",
            }, Client, validator.Now(), errors) ?? throw new InvalidOperationException("Generated record failed validation: " + string.Join("; ", errors));
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await SchemaMigrator.MigrateAsync(dataSource, CancellationToken.None);
        var next = -1;
        var batches = (records + batchSize - 1) / batchSize;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
        {
            await using var writer = new PostgresBatchWriter(dataSource);
            int batch;
            while ((batch = Interlocked.Increment(ref next)) < batches)
            {
                var first = batch * batchSize;
                var slice = new ArraySegment<ValidatedRecord>(prepared, first, Math.Min(batchSize, records - first));
                await writer.WriteAsync(slice, CancellationToken.None);
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started);
        output.WriteLine($"Database ceiling: {records:N0} records in {batches:N0} transactions of {batchSize:N0}, {writers} writers, {elapsed.TotalSeconds:N3} s = {records / elapsed.TotalSeconds:N0} records/s");
        return ExitCodes.Passed;
    }
}
