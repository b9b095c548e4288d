using Kontakt.Core.Records;

namespace Kontakt.Core.Imports;

/// <summary>What became of an upload.</summary>
public abstract record ImportUploadOutcome
{
    private ImportUploadOutcome()
    {
    }

    /// <summary>Stored as a new queued job.</summary>
    public sealed record Created(ImportJob Job) : ImportUploadOutcome;

    /// <summary>The same client sent the same file before (same SHA-256): nothing new was stored.</summary>
    public sealed record Existing(ImportJob Job) : ImportUploadOutcome;

    /// <summary>The file is larger than <see cref="ImportOptions.MaxBytes"/>: nothing was stored.</summary>
    public sealed record TooLarge(long MaxBytes) : ImportUploadOutcome;

    /// <summary>The file cannot be imported (empty, bad CSV header): nothing was stored.</summary>
    public sealed record Refused(IReadOnlyList<FieldError> Errors) : ImportUploadOutcome;
}
