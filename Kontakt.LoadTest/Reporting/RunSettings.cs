namespace Kontakt.LoadTest.Reporting;

/// <summary>What was asked for.</summary>
public sealed record RunSettings(
    string Target,
    string Mode,
    string LoadModel,
    int Records,
    int BatchSize,
    int Concurrency,
    string Client,
    double? RateRecordsPerSecond,
    double Returning,
    double ColorChanges,
    int Seed,
    string? Scenario,
    string RecordIdPrefix,
    string Database);
