namespace Kontakt.Core.Storage.Schema;

/// <summary><c>phi.import_errors</c>: why an input line was rejected: line, field and reason, never the value.</summary>
public sealed class ImportError
{
    /// <summary>The job.</summary>
    public Guid JobId { get; set; }

    /// <summary>1-based input line (a CSV header is line 1).</summary>
    public long Line { get; set; }

    /// <summary>The field at fault, or <c>$</c> for the whole line.</summary>
    public required string Field { get; set; }

    /// <summary>Why.</summary>
    public required string Reason { get; set; }
}
