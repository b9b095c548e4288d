namespace Kontakt.LoadTest.Verification;

/// <summary>Which records to sample: evenly spread over the run, so early, middle and late load are all seen.</summary>
public static class SampleSelection
{
    /// <summary>Up to <paramref name="sampleSize"/> distinct sequences in 0..<paramref name="records"/>-1, ascending.</summary>
    public static int[] Spread(int records, int sampleSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(records);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleSize);
        var size = Math.Min(records, sampleSize);
        var sequences = new int[size];
        for (var k = 0; k < size; k++)
        {
            sequences[k] = (int)((long)k * records / size);
        }
        return sequences;
    }
}
