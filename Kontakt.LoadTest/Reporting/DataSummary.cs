namespace Kontakt.LoadTest.Reporting;

/// <summary>What the generated data looked like.</summary>
public sealed record DataSummary(
    int Identities,
    int ReturningRecords,
    int NameVariants,
    int ColorChanges,
    double GenerationSeconds,
    IReadOnlyList<string> ExampleNames);
