using System.Globalization;

namespace Kontakt.Core.Records;

/// <summary>
/// Checks a <see cref="RecordRequest"/> against the record contract and turns it into a
/// <see cref="ValidatedRecord"/>. Messages name the field and the reason, never the value,
/// so PHI cannot leak through an error response or a log line.
/// </summary>
public sealed class RecordValidator(TimeProvider clock)
{
    /// <summary>Longest name accepted, in characters after trimming.</summary>
    public const int MaxNameLength = 200;

    /// <summary>
    /// Longest name accepted as sent, surrounding whitespace included (the audit store keeps it as sent),
    /// and longest identity key it may normalize to. A handful of compatibility characters expand under
    /// NFKC (U+FDFA becomes 18 letters), so the key can be longer than the name. Both bounds keep a
    /// staged record within one database page, where the writers' staging tables keep it (BatchSql).
    /// </summary>
    public const int MaxNameLengthAsSent = 500;

    /// <summary>Longest favorite color accepted as sent (longer than any name of the vocabulary, with room for spacing).</summary>
    public const int MaxColorLength = ColorVocabulary.MaxLengthAsSent;

    /// <summary>Longest client record ID accepted.</summary>
    public const int MaxRecordIdLength = 128;

    /// <summary>Earliest date of birth accepted.</summary>
    public static readonly DateOnly EarliestDob = new(1900, 1, 1);

    /// <summary>
    /// Validates one record of <paramref name="client"/> (<see cref="RecordClients"/>). Returns the validated
    /// record, or <c>null</c> with the reasons added to <paramref name="errors"/> (field names prefixed by
    /// <paramref name="fieldPrefix"/>).
    /// </summary>
    public ValidatedRecord? Validate(RecordRequest? request, string client, DateTimeOffset receivedAt, List<FieldError> errors, string fieldPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(errors);
        if (request is null)
        {
            errors.Add(new FieldError(fieldPrefix.Length == 0 ? "$" : fieldPrefix.TrimEnd('.'), "a record object is required."));
            return null;
        }

        var before = errors.Count;
        var name = CheckName(request.Name, fieldPrefix, errors);
        var nameKey = name is null ? null : CheckNameBounds(request.Name!, name, fieldPrefix, errors);
        var color = CheckColor(request.FavoriteColor, fieldPrefix, errors);
        var dob = CheckDob(request.Dob, fieldPrefix, errors);
        var recordId = CheckRecordId(request.RecordId, fieldPrefix, errors);
        if (errors.Count != before)
        {
            return null;
        }

        return new ValidatedRecord(
            client,
            recordId ?? NewRecordId(),
            request.Name!,
            nameKey!,
            dob!.Value,
            request.FavoriteColor,
            color,
            receivedAt);
    }

    /// <summary>The current time truncated to PostgreSQL's microsecond precision.</summary>
    public DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero);
    }

    private static string NewRecordId() => Guid.CreateVersion7().ToString("N");

    private static string? CheckName(string? value, string prefix, List<FieldError> errors)
    {
        var path = prefix + "name";
        if (value is null)
        {
            errors.Add(new FieldError(path, "is required."));
            return null;
        }
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            errors.Add(new FieldError(path, "must not be empty or only whitespace."));
            return null;
        }
        if (!IsWellFormed(value))
        {
            errors.Add(new FieldError(path, "is not valid Unicode text (unpaired surrogate)."));
            return null;
        }
        if (ContainsControlCharacter(value))
        {
            errors.Add(new FieldError(path, "must not contain control characters."));
            return null;
        }
        if (value.EnumerateRunes().Any(NameCharacters.IsNoncharacter))
        {
            errors.Add(new FieldError(path, "must not contain Unicode noncharacters (U+FDD0 to U+FDEF, U+xxFFFE, U+xxFFFF)."));
            return null;
        }
        if (value.EnumerateRunes().Any(NameCharacters.IsBidiControl))
        {
            errors.Add(new FieldError(path, "must not contain bidirectional control characters (U+202A to U+202E, U+2066 to U+2069)."));
            return null;
        }
        var length = CountCharacters(trimmed);
        if (length > MaxNameLength)
        {
            errors.Add(new FieldError(path, $"must be at most {MaxNameLength} characters after trimming (got {length})."));
            return null;
        }
        return trimmed;
    }

    private static string? CheckNameBounds(string asSent, string trimmed, string prefix, List<FieldError> errors)
    {
        var path = prefix + "name";
        if (CountCharacters(asSent) > MaxNameLengthAsSent)
        {
            errors.Add(new FieldError(path, $"must be at most {MaxNameLengthAsSent} characters including surrounding whitespace."));
            return null;
        }
        var key = NameNormalizer.ToIdentityKey(trimmed);
        if (!NameCharacters.HasVisibleCharacter(key))
        {
            errors.Add(new FieldError(path, "must contain at least one visible character."));
            return null;
        }
        if (CountCharacters(key) > MaxNameLengthAsSent)
        {
            errors.Add(new FieldError(path, $"expands to more than {MaxNameLengthAsSent} characters under Unicode compatibility normalization (NFKC)."));
            return null;
        }
        return key;
    }

    // Optional: missing or null is no color. Present, it must be one of the vocabulary.
    private static string? CheckColor(string? value, string prefix, List<FieldError> errors)
    {
        if (value is null)
        {
            return null;
        }
        var path = prefix + "favoriteColor";
        if (CountCharacters(value) > MaxColorLength)
        {
            errors.Add(new FieldError(path, $"must be at most {MaxColorLength} characters."));
            return null;
        }
        if (ContainsControlCharacter(value))
        {
            errors.Add(new FieldError(path, "must not contain control characters."));
            return null;
        }
        if (!ColorVocabulary.Default.TryCanonicalize(value, out var canonical))
        {
            errors.Add(new FieldError(path,
                "must be a color name listed by GET /v1/colors (CSS or xkcd names; case and spacing are ignored) or a hex color #rgb or #rrggbb."));
            return null;
        }
        return canonical;
    }

    private DateOnly? CheckDob(string? value, string prefix, List<FieldError> errors)
    {
        var path = prefix + "dob";
        if (value is null)
        {
            errors.Add(new FieldError(path, "is required."));
            return null;
        }
        if (value.Length != 10
            || !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dob))
        {
            errors.Add(new FieldError(path, "must be a calendar date in the form YYYY-MM-DD."));
            return null;
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (dob < EarliestDob || dob > today)
        {
            errors.Add(new FieldError(path, $"must be between {EarliestDob:yyyy-MM-dd} and today ({today:yyyy-MM-dd}, UTC)."));
            return null;
        }
        return dob;
    }

    private static string? CheckRecordId(string? value, string prefix, List<FieldError> errors)
    {
        if (value is null)
        {
            return null;
        }
        var path = prefix + "recordId";
        if (value.Length is 0 or > MaxRecordIdLength)
        {
            errors.Add(new FieldError(path, $"must be 1 to {MaxRecordIdLength} characters."));
            return null;
        }
        foreach (var c in value)
        {
            if (!IsRecordIdCharacter(c))
            {
                errors.Add(new FieldError(path, "may only contain the characters A-Z a-z 0-9 . _ : -"));
                return null;
            }
        }
        return value;
    }

    private static bool IsRecordIdCharacter(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-';

    private static bool ContainsControlCharacter(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    // Characters are Unicode scalar values, so an emoji or a rare CJK ideograph counts once.
    private static int CountCharacters(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }
        return count;
    }
}
