using System.Globalization;
using System.Security.Cryptography;

namespace Kontakt.LoadTest.Data;

/// <summary>
/// Record IDs of one run: <c>lt-{runId}-{sequence}</c>. The shared prefix lets the
/// verification count the run's records in the audit store with one LIKE.
/// </summary>
public sealed class RecordIdScheme
{
    private const string Lead = "lt-";
    private const string RunIdAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    public RecordIdScheme(string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        if (!runId.All(char.IsAsciiLetterOrDigit))
        {
            // Letters and digits only: no LIKE wildcard, no '-' that would blur where the sequence starts.
            throw new ArgumentException("A run ID holds ASCII letters and digits only.", nameof(runId));
        }
        RunId = runId;
        Prefix = Lead + runId + "-";
    }

    public string RunId { get; }

    /// <summary>What every record ID of this run starts with.</summary>
    public string Prefix { get; }

    /// <summary>A LIKE pattern matching exactly this run's record IDs (the run ID holds no wildcard).</summary>
    public string LikePattern => Prefix + "%";

    /// <summary>Longest record ID this scheme produces.</summary>
    public int MaxLength => Prefix.Length + 10;

    /// <summary>A new run ID: UTC time to the second plus random letters, so IDs sort by run and never collide.</summary>
    public static string NewRunId(DateTimeOffset now)
    {
        Span<char> random = stackalloc char[6];
        for (var i = 0; i < random.Length; i++)
        {
            random[i] = RunIdAlphabet[RandomNumberGenerator.GetInt32(RunIdAlphabet.Length)];
        }
        return now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + new string(random);
    }

    public string For(int sequence)
    {
        Span<char> buffer = stackalloc char[MaxLength];
        return new string(buffer[..Format(sequence, buffer)]);
    }

    /// <summary>Writes the ID of <paramref name="sequence"/> into <paramref name="destination"/>; returns its length.</summary>
    public int Format(int sequence, Span<char> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        Prefix.CopyTo(destination);
        sequence.TryFormat(destination[Prefix.Length..], out var digits, default, CultureInfo.InvariantCulture);
        return Prefix.Length + digits;
    }

    /// <summary>The sequence number inside a record ID of this run, or false for any other ID.</summary>
    public bool TryParseSequence(ReadOnlySpan<char> recordId, out int sequence)
    {
        sequence = -1;
        if (!recordId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var digits = recordId[Prefix.Length..];
        return digits.Length > 0
            && digits.Length <= 10
            && !(digits.Length > 1 && digits[0] == '0')
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }
}
