namespace Kontakt.Core.Imports;

/// <summary>A job this process claimed, with what it needs to resume it.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Client">Who uploaded it: its records are that client's (<see cref="Records.RecordClients"/>).</param>
/// <param name="Format">The format's name.</param>
/// <param name="Options">The format options it was uploaded with.</param>
/// <param name="Chunks">Number of stored chunks of the file.</param>
/// <param name="CheckpointLine">The last line already committed; reading resumes after it.</param>
public sealed record ImportClaim(Guid JobId, string Client, string Format, ImportFormatOptions Options, int Chunks, long CheckpointLine);
