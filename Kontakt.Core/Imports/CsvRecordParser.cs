using System.Text;

namespace Kontakt.Core.Imports;

/// <summary>One CSV record as parsed: its fields, or why it could not be parsed.</summary>
/// <param name="Line">1-based line where the record starts.</param>
/// <param name="Fields">The fields, unquoted; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the record is malformed (never quoting it).</param>
internal sealed record CsvRecord(long Line, string[]? Fields, string? Error);

/// <summary>
/// An RFC 4180 parser fed with text in pieces of any size, so a file of any length is parsed with
/// memory bounded by one record. Quoted fields may hold commas, doubled quotes and line breaks;
/// lines end with LF or CRLF. A record longer than <c>maxRecordChars</c> is reported, not held.
/// </summary>
internal sealed class CsvRecordParser(int maxRecordChars)
{
    private readonly StringBuilder _field = new();
    private readonly List<string> _fields = [];
    private long _line = 1;
    private long _recordLine = 1;
    private int _recordChars;
    private bool _inQuotes;
    private bool _quoteSeen;
    private bool _fieldStarted;
    private bool _recordStarted;
    private string? _error;

    /// <summary>Parses <paramref name="text"/>, adding every record it completes to <paramref name="records"/>.</summary>
    public void Feed(ReadOnlySpan<char> text, List<CsvRecord> records)
    {
        foreach (var c in text)
        {
            if (_inQuotes)
            {
                FeedQuoted(c, records);
            }
            else
            {
                FeedUnquoted(c, records);
            }
        }
    }

    /// <summary>Ends the input: adds the last record if the file did not end with a line break.</summary>
    public void Finish(List<CsvRecord> records)
    {
        if (_inQuotes && !_quoteSeen)
        {
            _error ??= "a quoted field is not closed before the end of the file.";
        }
        if (_recordStarted || _error is not null)
        {
            EndRecord(records);
        }
    }

    private void FeedQuoted(char c, List<CsvRecord> records)
    {
        if (_quoteSeen)
        {
            _quoteSeen = false;
            switch (c)
            {
                case '"':
                    Append('"');
                    return;
                case ',':
                    _inQuotes = false;
                    EndField();
                    return;
                case '\n':
                    _inQuotes = false;
                    EndRecord(records);
                    _line++;
                    _recordLine = _line;
                    return;
                case '\r':
                    _inQuotes = false;
                    return;
                default:
                    _inQuotes = false;
                    _error ??= "has characters after the closing quote of a field.";
                    return;
            }
        }
        if (c == '"')
        {
            _quoteSeen = true;
            return;
        }
        if (c == '\n')
        {
            _line++;
        }
        Append(c);
    }

    private void FeedUnquoted(char c, List<CsvRecord> records)
    {
        switch (c)
        {
            case ',':
                _recordStarted = true;
                EndField();
                return;
            case '\n':
                EndRecord(records);
                _line++;
                _recordLine = _line;
                return;
            case '\r':
                // CRLF line ends: the CR is dropped. A CR elsewhere outside quotes is not part of any valid value.
                return;
            case '"':
                _recordStarted = true;
                if (_fieldStarted)
                {
                    _error ??= "has a quote inside an unquoted field (RFC 4180: quote the whole field and double the quote).";
                    return;
                }
                _fieldStarted = true;
                _inQuotes = true;
                return;
            default:
                _recordStarted = true;
                _fieldStarted = true;
                Append(c);
                return;
        }
    }

    private void Append(char c)
    {
        _recordChars++;
        if (_recordChars > maxRecordChars)
        {
            _error ??= $"the record is longer than {maxRecordChars:N0} characters.";
            return;
        }
        if (_error is null)
        {
            _field.Append(c);
        }
    }

    private void EndField()
    {
        _fields.Add(_field.ToString());
        _field.Clear();
        _fieldStarted = false;
    }

    private void EndRecord(List<CsvRecord> records)
    {
        if (_recordStarted || _error is not null)
        {
            EndField();
            records.Add(_error is null ? new CsvRecord(_recordLine, _fields.ToArray(), null) : new CsvRecord(_recordLine, null, _error));
        }
        // A blank line is no record.
        _fields.Clear();
        _field.Clear();
        _fieldStarted = false;
        _recordStarted = false;
        _recordChars = 0;
        _error = null;
    }
}
