using Kontakt.Core.Records;
using Kontakt.Api.Endpoints;
using Kontakt.Core.Temporal;

namespace Kontakt.Api.OpenApi;

/// <summary>Example bodies shown in Swagger UI. Made-up people only.</summary>
internal static class ApiExamples
{
    private static readonly DateTimeOffset Received = new(2026, 11, 23, 10, 3, 0, TimeSpan.Zero);

    public static readonly RecordRequest Record = new()
    {
        Name = "Ada Lovelace",
        Dob = "1985-12-10",
        FavoriteColor = "green",
        RecordId = "clinic-7:visit-000123",
    };

    public static readonly RecordRequest[] Batch =
    [
        Record,
        new() { Name = "Charles Babbage", Dob = "1991-12-26", FavoriteColor = "LightGoldenRodYellow" },
        new() { Name = "  ada   LOVELACE ", Dob = "1985-12-10", FavoriteColor = "Sky  Blue" },
        new() { Name = "Mary Somerville", Dob = "1980-12-26" },
    ];

    public static readonly RecordResult RecordResult =
        new("clinic-7:visit-000123", Guid.Parse("3f2c8a4e-0b7d-4c1e-9a51-2d6f0e8b7c90"), true, Received);

    public static readonly RecordResult[] BatchResult =
    [
        RecordResult,
        new("0193a1c2e4f07c3d9b5e2a1f0c4d8e7b", Guid.Parse("8d1e4b2a-6c3f-4a7e-b9d0-1f2e3c4b5a69"), true, Received),
        new("0193a1c2e4f07c3d9b5e2a1f0c4d8e7c", Guid.Parse("3f2c8a4e-0b7d-4c1e-9a51-2d6f0e8b7c90"), false, Received),
        new("0193a1c2e4f07c3d9b5e2a1f0c4d8e7d", Guid.Parse("c4a7e2d1-9b3f-4e8a-8d2c-5f1b0a6e3d97"), true, Received),
    ];

    public static readonly PatientsApi.PatientView PublicPatient =
        new(Guid.Parse("3f2c8a4e-0b7d-4c1e-9a51-2d6f0e8b7c90"), "sky blue", Received.AddMilliseconds(4), AsOf: null);

    public static readonly PatientsApi.VersionView[] History =
    [
        new("green", Received, Received.AddHours(1)),
        new("sky blue", Received.AddHours(1), null),
    ];

    public static readonly SnapshotsApi.ManifestView Manifest =
        new("2026-11-22T10:03:00.000000Z", 1_000_000, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");

    public static readonly AuditPatientView AuditPatient =
        new(Guid.Parse("3f2c8a4e-0b7d-4c1e-9a51-2d6f0e8b7c90"), "Ada Lovelace", new DateOnly(1985, 12, 10), "Sky  Blue",
            "clinic-7:visit-000124", Received.AddHours(1), Received.AddHours(1).AddMilliseconds(4), Received.AddMilliseconds(4), 2);

    public const string SnapshotLines =
        "{\"patientId\":\"3f2c8a4e-0b7d-4c1e-9a51-2d6f0e8b7c90\",\"favoriteColor\":\"sky blue\"}\n" +
        "{\"patientId\":\"8d1e4b2a-6c3f-4a7e-b9d0-1f2e3c4b5a69\",\"favoriteColor\":\"lightgoldenrodyellow\"}\n" +
        "{\"patientId\":\"c4a7e2d1-9b3f-4e8a-8d2c-5f1b0a6e3d97\",\"favoriteColor\":null}\n";

    public static readonly ColorsApi.ColorsView Colors = new(
        [new("aliceblue", ["css"]), new("amber", ["xkcd"]), new("sky blue", ["xkcd"]), new("skyblue", ["css"]), new("teal", ["css", "xkcd"])],
        ColorsApi.HexNote);

    public static readonly RecordQueued Queued = new("0193a1c2e4f07c3d9b5e2a1f0c4d8e7b");

    public static readonly BatchQueued BatchQueued = new(["clinic-7:visit-000123", "0193a1c2e4f07c3d9b5e2a1f0c4d8e7b"]);
}
