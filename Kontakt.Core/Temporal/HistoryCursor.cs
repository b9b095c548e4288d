using System.Buffers.Binary;
using System.Buffers.Text;

namespace Kontakt.Core.Temporal;

/// <summary>
/// The continuation token of a history page: the <c>validFrom</c> of the last version served, as
/// base64url of its microseconds since the Unix epoch. Opaque to clients; the next page starts after it.
/// </summary>
public static class HistoryCursor
{
    private const int TokenBytes = sizeof(long);

    /// <summary>The token of the page that starts after <paramref name="lastValidFrom"/>.</summary>
    public static string Encode(DateTimeOffset lastValidFrom)
    {
        Span<byte> bytes = stackalloc byte[TokenBytes];
        BinaryPrimitives.WriteInt64BigEndian(bytes, (lastValidFrom.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Reads a token made by <see cref="Encode"/>; false for anything else.</summary>
    public static bool TryDecode(string? token, out DateTimeOffset lastValidFrom)
    {
        lastValidFrom = default;
        if (string.IsNullOrEmpty(token) || token.Length > 16)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[16];
        if (!Base64Url.IsValid(token) || !Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != TokenBytes)
        {
            return false;
        }
        var microseconds = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var maxMicroseconds = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
        var minMicroseconds = -DateTimeOffset.UnixEpoch.UtcTicks / TimeSpan.TicksPerMicrosecond;
        if (microseconds < minMicroseconds || microseconds > maxMicroseconds)
        {
            return false;
        }
        lastValidFrom = DateTimeOffset.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond);
        return true;
    }
}
