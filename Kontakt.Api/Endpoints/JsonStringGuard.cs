using System.Text;
using Kontakt.Core.Records;

namespace Kontakt.Api.Endpoints;

/// <summary>A JSON string in a body was longer than its field allows; it was refused before it was read whole.</summary>
internal sealed class JsonStringTooLongException(string field, int maxCharacters)
    : IOException($"{field} is too long.")
{
    public string Field { get; } = field;

    public FieldError Error => new(Field, $"is too long (at most {maxCharacters:N0} characters); the body was refused while reading.");
}

/// <summary>
/// A read-only stream over a JSON body that watches the raw bytes of every string as they pass and
/// fails the read once one string is longer than any value of its field can be. The JSON reader buffers
/// a whole string token before anything can look at it, so without this a 15 MB name is held (and then
/// decoded) before validation could refuse it; with it, at most one field's bound is read past.
/// </summary>
internal sealed class JsonStringGuard(Stream inner) : Stream
{
    // Worst case per character as sent: a surrogate pair escaped as \uXXXX\uXXXX. The bound never refuses a
    // value validation would accept; validation still gives the exact reason for anything in between.
    private const int MaxBytesPerCharacter = 12;
    private const int MaxPropertyNameBytes = 64;

    private static readonly int MaxAnyFieldCharacters =
        Math.Max(Math.Max(RecordValidator.MaxNameLengthAsSent, RecordValidator.MaxColorLength), RecordValidator.MaxRecordIdLength);

    private readonly byte[] _lastString = new byte[MaxPropertyNameBytes];
    private int _lastStringLength;
    private string? _property;
    private bool _inString;
    private bool _escaped;
    private bool _isValue;
    private bool _afterColon;
    private int _stringBytes;
    private int _stringLimit;
    private int _stringMaxCharacters;
    private int _depth;
    private bool _topIsArray;
    private int _index = -1;

    /// <summary>The longest value, in characters, each record property may have; the contract's own bounds.</summary>
    private static int MaxCharactersFor(string? property) => property switch
    {
        "name" => RecordValidator.MaxNameLengthAsSent,
        "dob" => 10,
        "favoriteColor" => RecordValidator.MaxColorLength,
        "recordId" => RecordValidator.MaxRecordIdLength,
        _ => MaxAnyFieldCharacters,
    };

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Scan(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Scan(buffer.AsSpan(offset, read));
        return read;
    }

    private void Scan(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (_inString)
            {
                ScanStringByte(b);
                continue;
            }
            switch (b)
            {
                case (byte)'"':
                    StartString();
                    break;
                case (byte)':':
                    _afterColon = true;
                    _property = Encoding.UTF8.GetString(_lastString, 0, _lastStringLength);
                    break;
                case (byte)'{' or (byte)'[':
                    if (_depth == 0)
                    {
                        _topIsArray = b == (byte)'[';
                    }
                    else if (_depth == 1 && _topIsArray)
                    {
                        _index++;
                    }
                    _depth++;
                    _afterColon = false;
                    break;
                case (byte)'}' or (byte)']':
                    _depth--;
                    break;
                case (byte)',':
                    _afterColon = false;
                    break;
            }
        }
    }

    private void StartString()
    {
        _inString = true;
        _escaped = false;
        _stringBytes = 0;
        _lastStringLength = 0;
        _isValue = _afterColon;
        _afterColon = false;
        if (_depth == 1 && _topIsArray)
        {
            _index++;
        }
        _stringMaxCharacters = _isValue ? MaxCharactersFor(_property) : MaxAnyFieldCharacters;
        _stringLimit = _stringMaxCharacters * MaxBytesPerCharacter;
    }

    private void ScanStringByte(byte b)
    {
        if (_escaped)
        {
            _escaped = false;
        }
        else if (b == (byte)'\\')
        {
            _escaped = true;
        }
        else if (b == (byte)'"')
        {
            _inString = false;
            return;
        }
        if (_lastStringLength < MaxPropertyNameBytes)
        {
            _lastString[_lastStringLength++] = b;
        }
        if (++_stringBytes > _stringLimit)
        {
            throw new JsonStringTooLongException(FieldName(), _stringMaxCharacters);
        }
    }

    // Named as the validator names fields: "name", "[3].name"; a string that is not a property's value is named by its position.
    private string FieldName()
    {
        var prefix = _topIsArray ? $"[{Math.Max(_index, 0)}]" : "";
        if (!_isValue || _property is null || (_topIsArray && _depth < 2))
        {
            return prefix.Length == 0 ? "$" : prefix;
        }
        var property = _property.Length > MaxPropertyNameBytes ? _property[..MaxPropertyNameBytes] : _property;
        return prefix.Length == 0 ? property : $"{prefix}.{property}";
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
