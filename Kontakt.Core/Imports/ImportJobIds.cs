using System.Buffers.Binary;

namespace Kontakt.Core.Imports;

/// <summary>
/// New import job IDs: UUIDv7, so that the newest-first job list can page by ID alone. Guid.CreateVersion7
/// orders IDs by the millisecond only, the rest being random; two jobs created in the same millisecond by
/// this process keep their creation order because an ID that would not sort after the previous one
/// becomes the previous one plus one. (Jobs created by two processes closer together than their clocks
/// agree sort in either order.)
/// </summary>
internal static class ImportJobIds
{
    private static readonly Lock Gate = new();
    private static UInt128 _last;

    public static Guid Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.CreateVersion7().TryWriteBytes(bytes, bigEndian: true, out _);
        // Big-endian, as PostgreSQL compares uuid values: byte by byte from the first.
        var candidate = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        lock (Gate)
        {
            if (candidate <= _last)
            {
                candidate = _last + 1;
            }
            _last = candidate;
        }
        BinaryPrimitives.WriteUInt128BigEndian(bytes, candidate);
        return new Guid(bytes, bigEndian: true);
    }
}
