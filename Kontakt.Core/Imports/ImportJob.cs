namespace Kontakt.Core.Imports;

/// <summary>An import job as its owner sees it: counts and times, never a value of the file.</summary>
/// <param name="JobId">The job's ID.</param>
/// <param name="Client">The API key (actor) that uploaded the file.</param>
/// <param name="Format">The format's name (<see cref="IImportFormat.Name"/>).</param>
/// <param name="Status">One of <see cref="ImportJobStatus"/>.</param>
/// <param name="Bytes">Size of the file.</param>
/// <param name="Received">Lines read so far (checkpointed), stored or rejected.</param>
/// <param name="Stored">Lines whose record is stored.</param>
/// <param name="Rejected">Lines refused (validation or commit), each with a line in the error report.</param>
/// <param name="CreatedAt">When the upload was stored.</param>
/// <param name="StartedAt">When a process first started it.</param>
/// <param name="FinishedAt">When it completed or failed.</param>
/// <param name="Reason">Why it failed, when it did.</param>
public sealed record ImportJob(
    Guid JobId,
    string Client,
    string Format,
    string Status,
    long Bytes,
    long Received,
    long Stored,
    long Rejected,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Reason);
