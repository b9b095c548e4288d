using System.Net;
using System.Text.Json;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Api;

/// <summary>Names and colors that could mislead a reader, break a spreadsheet or leak PHI are refused or neutralized.</summary>
public sealed class HostileInputTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TestDatabase _database = fixture.Database;
    private readonly HttpClient _client = fixture.Client;

    private async Task<(long Records, long Patients, long Public, long History)> CountsAsync() =>
        (await _database.CountAsync("phi.records"), await _database.CountAsync("phi.patients"),
         await _database.CountAsync("public_store.patients"), await _database.CountAsync("public_store.patient_history"));

    private async Task AssertRefusedAsync(object record, string field, string value)
    {
        var before = await CountsAsync();
        var response = await _client.PostRecordAsync(record);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        if (value.Length > 0)
        {
            Assert.All(Strings(problem), text => Assert.DoesNotContain(value, text, StringComparison.Ordinal));
        }
        Assert.Equal(before, await CountsAsync());
    }

    // Every string in the answer, unescaped, property names included.
    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value).Prepend(p.Name)),
        _ => [],
    };

    private async Task<JsonElement> PublicViewAsync(string patientId)
    {
        var response = await _client.GetAsync($"/v1/patients/{patientId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    [Theory]
    [InlineData("\uFFFE")]
    [InlineData("\uFFFF")]
    [InlineData("\uFDD0")]
    [InlineData("\U0001FFFE")]
    [InlineData("\u202E")]
    [InlineData("\u202A")]
    [InlineData("\u2066")]
    [InlineData("\u2069")]
    public async Task A_name_with_a_noncharacter_or_a_bidirectional_control_is_a_400_naming_the_field(string character)
    {
        var name = "Hostile" + character + Guid.NewGuid().ToString("N");
        await AssertRefusedAsync(ApiJson.Record(name), "name", name);
    }

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u00AD\uFEFF \u2060")]
    [InlineData("\u200D\u200C")]
    public async Task A_name_of_only_invisible_characters_is_a_400(string name) =>
        await AssertRefusedAsync(ApiJson.Record(name), "name", name);

    [Fact]
    public async Task A_name_with_a_zero_width_space_is_the_same_patient_and_is_audited_as_sent()
    {
        var stem = "Zero Width " + Guid.NewGuid().ToString("N");
        var plain = await (await _client.PostRecordAsync(ApiJson.Record(stem))).JsonAsync();
        var invisible = "Zero\u200B Wi\u00ADdth" + stem["Zero Width".Length..] + "\uFEFF";
        var response = await _client.PostRecordAsync(ApiJson.Record(invisible));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var second = await response.JsonAsync();
        Assert.Equal(plain.GetProperty("patientId").GetString(), second.GetProperty("patientId").GetString());
        Assert.False(second.GetProperty("newPatient").GetBoolean());
        Assert.Equal(1, await _database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE name = @name", ("name", invisible)));
    }

    [Fact]
    public async Task A_name_with_a_joiner_is_another_patient_than_without()
    {
        var suffix = " " + Guid.NewGuid().ToString("N");
        var without = await (await _client.PostRecordAsync(ApiJson.Record("\u0645\u06CC\u062E\u0648\u0627\u0647\u0645" + suffix))).JsonAsync();
        var with = await (await _client.PostRecordAsync(ApiJson.Record("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645" + suffix))).JsonAsync();
        Assert.NotEqual(without.GetProperty("patientId").GetString(), with.GetProperty("patientId").GetString());
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+1 (555) 010-0199")]
    [InlineData("555-0199")]
    [InlineData("Ada Lovelace")]
    [InlineData("@SUM(A1)")]
    [InlineData("-2+3")]
    [InlineData("")]
    public async Task A_favorite_color_outside_the_vocabulary_is_a_400_and_nothing_is_stored(string color)
    {
        var record = ApiJson.Record(TestRecords.UniqueName(), color: color);
        await AssertRefusedAsync(record, "favoriteColor", color);
    }

    [Fact]
    public async Task A_color_is_answered_in_canonical_form_and_audited_as_sent()
    {
        var created = await (await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), color: "  Sky   BLUE "))).JsonAsync();
        var patientId = created.GetProperty("patientId").GetString()!;

        Assert.Equal("sky blue", (await PublicViewAsync(patientId)).GetProperty("favoriteColor").GetString());
        var audit = await (await _client.GetAsync($"/v1/audit/patients/{patientId}")).JsonAsync();
        Assert.Equal("  Sky   BLUE ", audit.GetProperty("favoriteColor").GetString());
    }

    [Theory]
    [InlineData("""{"name":"@","dob":"1980-04-01"}""")]
    [InlineData("""{"name":"@","dob":"1980-04-01","favoriteColor":null}""")]
    public async Task A_record_without_a_color_is_stored_and_answered_with_a_null_color(string template)
    {
        var name = TestRecords.UniqueName();
        var response = await _client.PostJsonTextAsync("/v1/records", template.Replace("@", name, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var patientId = (await response.JsonAsync()).GetProperty("patientId").GetString()!;

        var view = await PublicViewAsync(patientId);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("favoriteColor").ValueKind);
        var history = (await (await _client.GetAsync($"/v1/patients/{patientId}/history")).JsonAsync()).EnumerateArray().ToArray();
        Assert.Equal(JsonValueKind.Null, Assert.Single(history).GetProperty("favoriteColor").ValueKind);
        var asOf = await (await _client.GetAsync($"/v1/patients/{patientId}?asOf={Uri.EscapeDataString(view.GetProperty("updatedAt").GetString()!)}")).JsonAsync();
        Assert.Equal(JsonValueKind.Null, asOf.GetProperty("favoriteColor").ValueKind);
        var audit = await (await _client.GetAsync($"/v1/audit/patients/{patientId}")).JsonAsync();
        Assert.Equal(JsonValueKind.Null, audit.GetProperty("favoriteColor").ValueKind);

        // A returning patient without a color keeps the one they have.
        await _client.PostRecordAsync(ApiJson.Record(name, color: "amber"));
        await _client.PostRecordAsync(ApiJson.Record(name, color: null));
        Assert.Equal("amber", (await PublicViewAsync(patientId)).GetProperty("favoriteColor").GetString());
        var versions = (await (await _client.GetAsync($"/v1/patients/{patientId}/history")).JsonAsync()).EnumerateArray();
        Assert.Equal([null, "amber"], versions.Select(v => v.GetProperty("favoriteColor").GetString()));
    }
}
