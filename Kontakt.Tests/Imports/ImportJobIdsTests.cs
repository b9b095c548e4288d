using Kontakt.Core.Imports;

namespace Kontakt.Tests.Imports;

public sealed class ImportJobIdsTests
{
    [Fact]
    public void Ids_created_one_after_another_sort_in_creation_order_as_PostgreSQL_compares_them()
    {
        // Thousands within a few milliseconds: Guid.CreateVersion7 alone puts about half of the same-millisecond pairs out of order.
        var ids = Enumerable.Range(0, 5_000).Select(_ => ImportJobIds.Next()).ToArray();

        for (var i = 1; i < ids.Length; i++)
        {
            var previous = ids[i - 1].ToByteArray(bigEndian: true);
            var current = ids[i].ToByteArray(bigEndian: true);
            Assert.True(current.AsSpan().SequenceCompareTo(previous) > 0, $"ID {i} does not sort after ID {i - 1}.");
        }
        Assert.All(ids, id => Assert.Equal(7, id.Version));
        Assert.All(ids, id => Assert.Equal(0b10, id.Variant >> 2));
    }
}
