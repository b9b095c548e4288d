using System.Net;
using System.Net.Http.Headers;
using Kontakt.Core.Records;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Api;

public sealed class ColorsApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = fixture.Client;

    private Task<HttpResponseMessage> GetAsync(string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/colors");
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        return _client.SendAsync(request);
    }

    [Fact]
    public async Task The_vocabulary_is_listed_in_canonical_form_with_its_sources()
    {
        var response = await GetAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();

        var colors = body.GetProperty("colors").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("sources").EnumerateArray().Select(s => s.GetString()!).ToArray());
        Assert.Equal(ColorVocabulary.Default.Names.Count, colors.Count);
        Assert.Equal(["xkcd"], colors["sky blue"]);
        Assert.Equal(["css"], colors["skyblue"]);
        Assert.Equal(["css", "xkcd"], colors["teal"]);
        Assert.All(colors.Keys, name => Assert.Equal(name, ColorVocabulary.Default.TryCanonicalize(name, out var canonical) ? canonical : null));
        Assert.Contains("#rrggbb", body.GetProperty("hex").GetString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.ETag);
        Assert.True(response.Headers.CacheControl?.MaxAge > TimeSpan.Zero);
    }

    [Fact]
    public async Task The_etag_answers_304_when_sent_back()
    {
        var etag = (await GetAsync()).Headers.ETag!;

        var same = await GetAsync(etag.ToString());
        Assert.Equal(HttpStatusCode.NotModified, same.StatusCode);
        Assert.Empty(await same.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, same.Headers.ETag);

        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync("W/" + etag.Tag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync("\"other\", " + etag.Tag)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("\"other\"")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(new EntityTagHeaderValue("\"" + new string('0', 64) + "\"").ToString())).StatusCode);
    }
}
