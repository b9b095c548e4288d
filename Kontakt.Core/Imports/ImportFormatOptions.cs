namespace Kontakt.Core.Imports;

/// <summary>Per-job choices a format may honour; stored with the job so a resumed job reads the file the same way.</summary>
/// <param name="IgnoreUnknownColumns">CSV: columns other than the record's are skipped instead of refusing the file.</param>
public sealed record ImportFormatOptions(bool IgnoreUnknownColumns = false);
