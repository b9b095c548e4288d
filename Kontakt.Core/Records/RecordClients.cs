using Kontakt.Core.Security;

namespace Kontakt.Core.Records;

/// <summary>
/// The client a record belongs to: recordIds are unique per client, and a client sees only its own records'
/// status. A caller's client is its API key's name (or its token's subject); the inputs without a key have
/// fixed names that no key may take (<see cref="ApiKeyStore.NameProblem"/>), so no key ever reads their records.
/// </summary>
public static class RecordClients
{
    /// <summary>The longest client name stored: the longest key name.</summary>
    public const int MaxLength = ApiKeyStore.MaxNameLength;

    /// <summary>
    /// The keyless interface channels: HL7 v2 over MLLP and files delivered to the drop folder. One client for
    /// both, so that a message received over MLLP and again in a delivered file is one record, stored once
    /// (its recordId already names the sending application and facility, <see cref="Hl7.Hl7RecordId"/>). The
    /// drop folder's jobs were stored under this name before recordIds were scoped, so it is kept.
    /// </summary>
    public const string Interfaces = "drop-folder";

    /// <summary>Records stored before recordIds were scoped per client (migration ScopeRecordIdsPerClient); holds a <c>:</c>, which no key's name may.</summary>
    public const string Legacy = "system:legacy";

    /// <summary>
    /// The client of a record validated only for its errors (an import format checking a line so its report
    /// names the format's fields); never stored: the import engine validates the line again with the job's client.
    /// </summary>
    internal const string CheckOnly = "system:check-only";
}
