using System.Net;
using System.Text.Json;
using Kontakt.Tests.Support;
using Npgsql;

namespace Kontakt.Tests.Temporal;

public sealed class HistoryPagingTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = fixture.Client;

    /// <summary>A patient with <paramref name="versions"/> public versions: one posted, the earlier ones written as history before it.</summary>
    private async Task<string> PatientWithVersionsAsync(int versions)
    {
        var response = await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), color: "red"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var patientId = (await response.JsonAsync()).GetProperty("patientId").GetString()!;
        await using var command = fixture.Database.DataSource.CreateCommand("""
            INSERT INTO public_store.patient_history (patient_id, favorite_color, valid_from, valid_to)
            SELECT p.patient_id, 'c' || n, p.valid_from - make_interval(secs => @earlier + 1 - n), p.valid_from - make_interval(secs => @earlier - n)
            FROM public_store.patients p, generate_series(1, @earlier) AS n
            WHERE p.patient_id = @patient_id
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid>("patient_id", Guid.Parse(patientId)));
        command.Parameters.Add(new NpgsqlParameter<int>("earlier", versions - 1));
        Assert.Equal(versions - 1, await command.ExecuteNonQueryAsync());
        return patientId;
    }

    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }
        var link = Assert.Single(values);
        Assert.EndsWith(">; rel=\"next\"", link, StringComparison.Ordinal);
        return link[1..link.IndexOf('>', StringComparison.Ordinal)];
    }

    [Fact]
    public async Task Two_hundred_fifty_versions_come_in_three_pages_with_none_missed_or_repeated()
    {
        var patientId = await PatientWithVersionsAsync(250);

        var pages = new List<JsonElement[]>();
        string? next = $"/v1/patients/{patientId}/history";
        while (next is not null)
        {
            Assert.True(pages.Count < 4, "the next links did not end");
            var response = await _client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            pages.Add((await response.JsonAsync()).EnumerateArray().ToArray());
            next = NextLink(response);
        }

        Assert.Equal([100, 100, 50], pages.Select(p => p.Length));
        var versions = pages.SelectMany(p => p).ToArray();
        var starts = versions.Select(v => v.GetProperty("validFrom").GetDateTimeOffset()).ToArray();
        Assert.Equal(250, starts.Distinct().Count());
        Assert.Equal(starts.Order(), starts);
        Assert.Equal(Enumerable.Range(1, 249).Select(n => $"c{n}").Append("red"), versions.Select(v => v.GetProperty("favoriteColor").GetString()));
        for (var i = 0; i < versions.Length - 1; i++)
        {
            Assert.Equal(versions[i].GetProperty("validTo").GetDateTimeOffset(), starts[i + 1]);
        }
        Assert.Equal(JsonValueKind.Null, versions[^1].GetProperty("validTo").ValueKind);
    }

    [Fact]
    public async Task A_short_history_fits_one_page_without_a_next_link_and_limit_sets_the_page_size()
    {
        var patientId = await PatientWithVersionsAsync(3);

        var whole = await _client.GetAsync($"/v1/patients/{patientId}/history");
        Assert.Equal(3, (await whole.JsonAsync()).GetArrayLength());
        Assert.Null(NextLink(whole));

        var first = await _client.GetAsync($"/v1/patients/{patientId}/history?limit=2");
        Assert.Equal(2, (await first.JsonAsync()).GetArrayLength());
        var last = await _client.GetAsync(NextLink(first)!);
        Assert.Equal("red", Assert.Single((await last.JsonAsync()).EnumerateArray()).GetProperty("favoriteColor").GetString());
        Assert.Null(NextLink(last));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("after=not-a-token!", "after")]
    [InlineData("after=AAAA", "after")]
    public async Task A_bad_limit_or_token_is_a_400_naming_the_parameter(string query, string parameter)
    {
        var patientId = await PatientWithVersionsAsync(1);

        var response = await _client.GetAsync($"/v1/patients/{patientId}/history?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(parameter, out _), $"the problem does not name {parameter}");
    }
}
