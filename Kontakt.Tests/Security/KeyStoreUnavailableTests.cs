using System.Net;
using Kontakt.Core.Storage;
using Kontakt.Tests.Support;
using Npgsql;

namespace Kontakt.Tests.Security;

public sealed class KeyStoreUnavailableTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_key_that_cannot_be_checked_is_answered_503_with_retry_after_not_401()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString);
        using var client = factory.CreateClient();
        var runtimeRole = new NpgsqlConnectionStringBuilder(database.RuntimeConnectionString).Username!;

        // The role name comes from the test database's own name (made from a GUID); DDL takes no parameters.
        await using (var revoke = database.DataSource.CreateCommand($"REVOKE SELECT ON security.api_keys FROM \"{runtimeRole}\""))
        {
            await revoke.ExecuteNonQueryAsync();
        }
        try
        {
            using var response = await client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName()));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            Assert.Empty(response.Headers.WwwAuthenticate);
        }
        finally
        {
            await DatabaseRoles.GrantRuntimeAsync(database.DataSource, runtimeRole, CancellationToken.None);
        }

        using var afterwards = await client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName()));
        Assert.Equal(HttpStatusCode.Created, afterwards.StatusCode);
    }
}
