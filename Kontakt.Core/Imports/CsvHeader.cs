using Kontakt.Core.Records;

namespace Kontakt.Core.Imports;

/// <summary>
/// Where each record field sits in a CSV file, from its header row. Columns are matched ignoring
/// case; <c>name</c> and <c>dob</c> are required, <c>favoriteColor</c> and <c>recordId</c> optional.
/// Problems name the column by position, never by its text: a file without a header would otherwise
/// have its first person's name quoted back.
/// </summary>
internal sealed record CsvHeader(int Columns, int Name, int Dob, int FavoriteColor, int RecordId)
{
    private static readonly string[] Known = ["name", "dob", "favoriteColor", "recordId"];

    public static CsvHeader? Parse(string[] fields, ImportFormatOptions options, List<FieldError> errors)
    {
        var positions = new[] { -1, -1, -1, -1 };
        for (var column = 0; column < fields.Length; column++)
        {
            var known = Array.FindIndex(Known, k => string.Equals(k, fields[column].Trim(), StringComparison.OrdinalIgnoreCase));
            if (known < 0)
            {
                if (!options.IgnoreUnknownColumns)
                {
                    errors.Add(new FieldError("header", $"column {column + 1} is not one of name, dob, favoriteColor, recordId (send ?ignoreUnknownColumns=true to skip such columns)."));
                }
                continue;
            }
            if (positions[known] >= 0)
            {
                errors.Add(new FieldError("header", $"column {column + 1} repeats the column {Known[known]}."));
                continue;
            }
            positions[known] = column;
        }
        if (positions[0] < 0)
        {
            errors.Add(new FieldError("header", "has no name column (the first line must be a header row naming the columns)."));
        }
        if (positions[1] < 0)
        {
            errors.Add(new FieldError("header", "has no dob column (the first line must be a header row naming the columns)."));
        }
        return errors.Count > 0 ? null : new CsvHeader(fields.Length, positions[0], positions[1], positions[2], positions[3]);
    }

    /// <summary>The record of one data row; empty optional fields count as absent.</summary>
    public RecordRequest ToRecord(string[] fields) => new()
    {
        Name = fields[Name],
        Dob = fields[Dob],
        FavoriteColor = Optional(fields, FavoriteColor),
        RecordId = Optional(fields, RecordId),
    };

    private static string? Optional(string[] fields, int column) =>
        column >= 0 && fields[column].Length > 0 ? fields[column] : null;
}
