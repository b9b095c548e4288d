using System.Net;
using Kontakt.Api.Security;
using Kontakt.Core.Security;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Security;

/// <summary>PHI reads are limited per key: <c>Kontakt:Security:PhiReadsPerMinute</c>, then 429 with Retry-After.</summary>
public sealed class PhiRateLimitTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Reads_over_the_limit_get_429_with_retry_after_and_are_logged_and_other_keys_are_unaffected()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?> { ["Kontakt:Security:PhiReadsPerMinute"] = "2" });
        using var client = factory.CreateClient();
        var patientId = Guid.NewGuid();
        var path = $"/v1/audit/patients/{patientId}";
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);

        using var limited = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { } wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromMinutes(1), $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.Equal(
            [AccessOutcomes.NotFound, AccessOutcomes.NotFound, AccessOutcomes.RateLimited],
            await database.ListAsync("SELECT outcome FROM security.access_events WHERE @id = ANY(patient_ids) ORDER BY event_id", r => r.GetString(0), ("id", patientId)));

        var other = await new ApiKeyStore(database.DataSource).CreateAsync("second-auditor", KontaktRoles.Auditor, default);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(KontaktAuthentication.ApiKeyHeader, other.Key);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(request)).StatusCode);

        // Not PHI: the public store is not limited by this setting.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/snapshots/public/manifest")).StatusCode);
        }
    }
}
