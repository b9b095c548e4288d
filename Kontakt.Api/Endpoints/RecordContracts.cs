namespace Kontakt.Api.Endpoints;

/// <summary>Body of a 202: the record is queued, not yet durable.</summary>
/// <param name="RecordId">The record's ID; retry with it to make the retry idempotent.</param>
public sealed record RecordQueued(string RecordId);

/// <summary>Body of a 202 for a batch.</summary>
/// <param name="RecordIds">The records' IDs, in request order.</param>
public sealed record BatchQueued(IReadOnlyList<string> RecordIds);
