using System.Text.Json;
using Kontakt.Api.DropFolder;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Imports;

/// <summary>Files delivered into <c>Kontakt:DropFolder:Path</c> become import jobs and move on when their jobs end.</summary>
public sealed class DropFolderTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kontakt-drop-" + Guid.NewGuid().ToString("N"));
    private KontaktApiFactory _factory = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Kontakt:DropFolder:Path"] = _folder,
            ["Kontakt:DropFolder:StableFor"] = "00:00:00.300",
            ["Kontakt:DropFolder:PollInterval"] = "00:00:00.100",
            ["Kontakt:Imports:PollInterval"] = "00:00:00.100",
        });
        _factory.CreateClient().Dispose();
        await Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task DeliverAsync(string name, string content)
    {
        // Upload-then-rename, as an SFTP partner is told to: the dot name is never taken half-written.
        var partial = Path.Combine(_folder, "." + name + ".part");
        await File.WriteAllTextAsync(partial, content);
        File.Move(partial, Path.Combine(_folder, name));
    }

    private Task WaitForAsync(string path) =>
        Eventually.TrueAsync(() => File.Exists(path), ImportRequests.JobDeadline, $"{Path.GetFileName(path)} never appeared");

    [Fact]
    public async Task A_delivered_csv_is_imported_and_moved_to_processed_with_its_error_report_beside_it()
    {
        var tag = Guid.NewGuid().ToString("N");
        var secret = "Secretname" + tag;
        await DeliverAsync($"{tag}.csv", $"name,dob,recordId\n{TestRecords.UniqueName()},1970-01-01,{tag}-1\n{secret},1913-02-30,{tag}-2\n");

        // The file moves last, after its report is whole: wait for the file, then the report must be there.
        await WaitForAsync(Path.Combine(_folder, "processed", $"{tag}.csv"));
        Assert.True(File.Exists(Path.Combine(_folder, "processed", $"{tag}.csv.errors.ndjson")));
        Assert.False(File.Exists(Path.Combine(_folder, $"{tag}.csv")));
        var report = await File.ReadAllTextAsync(Path.Combine(_folder, "processed", $"{tag}.csv.errors.ndjson"));
        var error = JsonDocument.Parse(report.Trim()).RootElement;
        Assert.Equal((3, "dob"), (error.GetProperty("line").GetInt32(), error.GetProperty("field").GetString()));
        Assert.DoesNotContain("Secretname", report, StringComparison.Ordinal);
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = @id", ("id", $"{tag}-1")));
        Assert.Equal(DropFolderService.Client, await database.ScalarAsync<string>("SELECT client FROM phi.records WHERE record_id = @id", ("id", $"{tag}-1")));
    }

    [Fact]
    public async Task A_delivered_fhir_ndjson_file_is_imported_as_FHIR_Patients()
    {
        var tag = Guid.NewGuid().ToString("N");
        var (patient, fullName) = Kontakt.Tests.Fhir.FhirTesting.UniquePatient();
        await DeliverAsync($"{tag}.fhir.ndjson", patient.ToJsonString() + "\n{\"resourceType\":\"Observation\"}\n");

        await WaitForAsync(Path.Combine(_folder, "processed", $"{tag}.fhir.ndjson"));
        var report = await File.ReadAllTextAsync(Path.Combine(_folder, "processed", $"{tag}.fhir.ndjson.errors.ndjson"));
        var error = JsonDocument.Parse(report.Trim()).RootElement;
        Assert.Equal((2, "Patient.resourceType"), (error.GetProperty("line").GetInt32(), error.GetProperty("field").GetString()));
        Assert.Equal("fhir-ndjson", await database.ScalarAsync<string>("SELECT format FROM phi.import_jobs WHERE client = 'drop-folder' ORDER BY created_at DESC LIMIT 1"));
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE name = @name", ("name", fullName)));
    }

    [Fact]
    public async Task The_same_file_delivered_again_is_not_imported_twice()
    {
        var content = $"name,dob\n{TestRecords.UniqueName()},1970-01-01\n";
        var (first, second) = (Guid.NewGuid().ToString("N") + ".csv", Guid.NewGuid().ToString("N") + ".csv");
        await DeliverAsync(first, content);
        await WaitForAsync(Path.Combine(_folder, "processed", first));
        await DeliverAsync(second, content);
        await WaitForAsync(Path.Combine(_folder, "processed", second));

        var sha = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content));
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM phi.import_jobs WHERE client = 'drop-folder' AND sha256 = @sha", ("sha", sha)));
        var jobId = await database.ScalarAsync<Guid>("SELECT job_id FROM phi.import_jobs WHERE client = 'drop-folder' AND sha256 = @sha", ("sha", sha));
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id LIKE @prefix", ("prefix", $"import-{jobId:N}-%")));
    }

    [Fact]
    public async Task Dot_files_and_names_without_a_format_stay_where_they_are()
    {
        var hidden = Path.Combine(_folder, ".still-uploading.csv");
        var unknown = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".txt");
        await File.WriteAllTextAsync(hidden, "name,dob\n");
        await File.WriteAllTextAsync(unknown, "name,dob\n");
        var marker = Guid.NewGuid().ToString("N") + ".ndjson";
        await DeliverAsync(marker, $"{{\"name\":\"{TestRecords.UniqueName()}\",\"dob\":\"1970-01-01\"}}\n");
        await WaitForAsync(Path.Combine(_folder, "processed", marker));

        Assert.True(File.Exists(hidden));
        Assert.True(File.Exists(unknown));
    }
}
