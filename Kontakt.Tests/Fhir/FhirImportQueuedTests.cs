using System.Net;
using Kontakt.Core.Security;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Fhir;

/// <summary>
/// <c>$import</c> jobs while they wait: this process runs no jobs (<c>Kontakt:Imports:RunJobs=false</c>), so
/// a job stays queued and the 202 with <c>X-Progress</c> is seen every time, then cancelled.
/// </summary>
public sealed class FhirImportQueuedTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private KontaktApiFactory _factory = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?> { ["Kontakt:Imports:RunJobs"] = "false" });
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task A_waiting_job_answers_202_with_X_Progress_and_DELETE_cancels_it_after_which_the_status_URL_is_a_404()
    {
        var statusUrl = await _client.StartFhirImportAsync(FhirTesting.UniquePatient().Patient.ToJsonString() + "\n");

        using (var poll = await _client.GetAsync(new Uri(statusUrl, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Accepted, poll.StatusCode);
            Assert.StartsWith("queued: 0 lines read (0 stored, 0 rejected)", poll.Headers.GetValues("X-Progress").Single(), StringComparison.Ordinal);
            Assert.NotNull(poll.Headers.RetryAfter);
        }

        // Another client's key sees no such job.
        var other = (await new ApiKeyStore(database.DataSource).CreateAsync("fhir-import-" + Guid.NewGuid().ToString("N")[..12], KontaktRoles.Ingest, CancellationToken.None)).Key;
        using (var foreign = new HttpRequestMessage(HttpMethod.Get, statusUrl))
        {
            foreign.Headers.Add(RoleKeyHandler.Header, other);
            using var response = await _client.SendAsync(foreign);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using (var cancel = await _client.DeleteAsync(new Uri(statusUrl, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }
        using (var after = await _client.GetAsync(new Uri(statusUrl, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
            Assert.Equal("OperationOutcome", (await after.FhirJsonAsync()).GetProperty("resourceType").GetString());
        }
        Assert.Equal("failed", await database.ScalarAsync<string>("SELECT status FROM phi.import_jobs WHERE job_id = @id",
            ("id", Guid.Parse(FhirImportRequests.JobIdOf(statusUrl)))));
    }
}
