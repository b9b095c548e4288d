using System.Net;
using System.Net.Http.Headers;
using Kontakt.Core.Security;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Imports;

/// <summary>
/// Jobs as resources: who sees which, paging, cancelling and the size bound. This process runs no jobs
/// (<c>Kontakt:Imports:RunJobs=false</c>), so uploads stay queued while the test looks at them.
/// </summary>
public sealed class ImportJobsAccessTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private KontaktApiFactory _factory = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Kontakt:Imports:RunJobs"] = "false",
            ["Kontakt:Imports:MaxBytes"] = "2000",
        });
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    private static string File(string stem = "Person") => $"name,dob\n{TestRecords.UniqueName(stem)},1970-01-01\n";

    [Fact]
    public async Task A_cancelled_job_is_failed_with_a_reason_its_file_is_deleted_and_it_is_never_run()
    {
        var jobId = await _client.StartImportAsync(File());
        Assert.Equal("queued", (await _client.GetJobAsync(jobId)).GetProperty("status").GetString());
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM phi.import_chunks WHERE job_id = @id", ("id", Guid.Parse(jobId))));

        using var cancel = await _client.DeleteAsync(new Uri($"/v1/imports/{jobId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        var job = await _client.GetJobAsync(jobId);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Contains("cancelled", job.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.NotNull(job.GetProperty("finishedAt").GetString());
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM phi.import_chunks WHERE job_id = @id", ("id", Guid.Parse(jobId))));

        using var again = await _client.DeleteAsync(new Uri($"/v1/imports/{jobId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task The_list_is_paged_newest_first_through_next_links()
    {
        var key = await NewIngestKeyAsync();
        var posted = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await _client.PostImportAsync(File(), key: key);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            posted.Add((await response.JsonAsync()).GetProperty("jobId").GetString()!);
        }

        var seen = new List<string>();
        var next = "/v1/imports?limit=2";
        var pages = 0;
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Add(RoleKeyHandler.Header, key);
            using var page = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var jobs = (await page.JsonAsync()).EnumerateArray().Select(j => j.GetProperty("jobId").GetString()!).ToArray();
            Assert.True(jobs.Length <= 2);
            seen.AddRange(jobs);
            pages++;
            next = page.Headers.TryGetValues("Link", out var links)
                ? links.Single().Split('<', '>')[1]
                : null;
        }
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(posted), seen);

        using var bad = await _client.GetAsync(new Uri("/v1/imports?limit=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var badAfter = await _client.GetAsync(new Uri("/v1/imports?after=nope", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badAfter.StatusCode);
    }

    [Fact]
    public async Task An_ingest_key_sees_only_its_own_jobs_and_an_admin_key_sees_every_job()
    {
        var jobId = await _client.StartImportAsync(File());
        var other = await NewIngestKeyAsync();
        var admin = _factory.Keys[KontaktRoles.Admin];

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Get, $"/v1/imports/{jobId}", other));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Get, $"/v1/imports/{jobId}/errors", other));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Delete, $"/v1/imports/{jobId}", other));
        Assert.DoesNotContain(jobId, await ListAsync(other));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Get, $"/v1/imports/{jobId}", admin));
        Assert.Contains(jobId, await ListAsync(admin));
        Assert.Contains(jobId, await ListAsync(_factory.Keys[KontaktRoles.Ingest]));

        // The same file from another client is that client's own new job, not a pointer to someone else's.
        var file = File();
        using (var mine = await _client.PostImportAsync(file))
        {
            Assert.Equal(HttpStatusCode.Accepted, mine.StatusCode);
        }
        using var theirs = await _client.PostImportAsync(file, key: other);
        Assert.Equal(HttpStatusCode.Accepted, theirs.StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Get, "/v1/imports", _factory.Keys[KontaktRoles.Analyst]));
        using var adminUpload = await _client.PostImportAsync(File(), key: admin);
        Assert.Equal(HttpStatusCode.Forbidden, adminUpload.StatusCode);
    }

    [Fact]
    public async Task A_file_over_MaxBytes_is_a_413_with_or_without_Content_Length_and_nothing_is_stored()
    {
        var before = await database.CountAsync("phi.import_jobs");
        var big = "name,dob\n" + string.Concat(Enumerable.Repeat($"{TestRecords.UniqueName()},1970-01-01\n", 100));
        using (var declared = await _client.PostImportAsync(big))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/imports")
        {
            Content = new StreamContent(new UnknownLengthStream(System.Text.Encoding.UTF8.GetBytes(big))),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ImportRequests.Csv);
        using var chunked = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Equal(before, await database.CountAsync("phi.import_jobs"));
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM phi.import_chunks c WHERE NOT EXISTS (SELECT 1 FROM phi.import_jobs j WHERE j.job_id = c.job_id)"));
    }

    private async Task<string> NewIngestKeyAsync() =>
        (await new ApiKeyStore(database.DataSource).CreateAsync("imports-" + Guid.NewGuid().ToString("N")[..12], KontaktRoles.Ingest, CancellationToken.None)).Key;

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, string key)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add(RoleKeyHandler.Header, key);
        using var response = await _client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<string[]> ListAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/imports?limit=500");
        request.Headers.Add(RoleKeyHandler.Header, key);
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).EnumerateArray().Select(j => j.GetProperty("jobId").GetString()!).ToArray();
    }

    /// <summary>A body sent without Content-Length (chunked), so only counting while reading can bound it.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
