using System.Net;
using System.Text;
using System.Text.Json;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Api;

/// <summary>Hostile bodies are refused while they are read: over-long strings are never held whole, and batch bodies in flight are bounded.</summary>
public sealed class BodyLimitsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private Task<long> StoredAsync(params string[] recordIds) =>
        database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = ANY(@ids)", ("ids", recordIds));

    private static async Task AssertTooLongAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        var errors = problem.GetProperty("errors").EnumerateObject().ToArray();
        Assert.Equal([field], errors.Select(e => e.Name));
        Assert.Contains("too long", errors[0].Value[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("xxxxxxxx", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_longer_than_the_contract_in_a_single_record_is_a_400_naming_the_field_and_nothing_is_stored()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString);
        using var client = factory.CreateClient();
        var recordId = $"long-{Guid.NewGuid():N}";

        var response = await client.PostRecordAsync(ApiJson.Record(new string('x', 60_000), recordId: recordId));

        await AssertTooLongAsync(response, "name");
        Assert.Equal(0, await StoredAsync(recordId));
    }

    [Fact]
    public async Task A_15_MB_name_inside_a_batch_is_a_400_naming_the_field_and_nothing_is_stored()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString);
        using var client = factory.CreateClient();
        var validId = $"batch-ok-{Guid.NewGuid():N}";
        var longId = $"batch-long-{Guid.NewGuid():N}";
        var batch = JsonSerializer.Serialize(new[]
        {
            ApiJson.Record(TestRecords.UniqueName(), recordId: validId),
            ApiJson.Record(new string('x', 15 * 1024 * 1024), recordId: longId),
        });

        var response = await client.PostJsonTextAsync("/v1/records/batch", batch);

        await AssertTooLongAsync(response, "[1].name");
        Assert.Equal(0, await StoredAsync(validId, longId));
    }

    [Fact]
    public async Task An_over_long_recordId_and_color_are_refused_by_their_own_names()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString);
        using var client = factory.CreateClient();

        await AssertTooLongAsync(await client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: new string('x', 20_000))), "recordId");
        await AssertTooLongAsync(await client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), color: new string('x', 20_000))), "favoriteColor");
    }

    [Fact]
    public async Task Batch_bodies_beyond_the_concurrency_limit_are_answered_503_with_retry_after()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Kontakt:Ingest:MaxConcurrentBatchBodies"] = "1",
            ["Kontakt:Ingest:BatchBodyWait"] = "00:00:00.050",
        });
        using var client = factory.CreateClient();
        var heldId = $"held-{Guid.NewGuid():N}";
        var held = new HeldBody($$"""[{"name":"{{TestRecords.UniqueName()}}","dob":"1980-04-01","recordId":"{{heldId}}"}]""");
        var holding = client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/records/batch") { Content = held.Content() });
        await Eventually.TrueAsync(() => held.Started, Deadline, "the held body was never read");

        // The held request reaches its handler shortly after its first byte is sent; until it holds the one place, a batch may pass.
        var overloadedId = "";
        HttpResponseMessage overloaded = null!;
        await Eventually.TrueAsync(async () =>
        {
            overloadedId = $"over-{Guid.NewGuid():N}";
            overloaded = await client.PostJsonTextAsync("/v1/records/batch", JsonSerializer.Serialize(new[] { ApiJson.Record(TestRecords.UniqueName(), recordId: overloadedId) }));
            return overloaded.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, Deadline, "a batch was never refused while the only place was held");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, overloaded.StatusCode);
        Assert.Equal("application/problem+json", overloaded.Content.Headers.ContentType?.MediaType);
        Assert.True(overloaded.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(0, await StoredAsync(overloadedId));

        held.Release();
        Assert.Equal(HttpStatusCode.Created, (await holding).StatusCode);
        var after = await client.PostJsonTextAsync("/v1/records/batch", JsonSerializer.Serialize(new[] { ApiJson.Record(TestRecords.UniqueName()) }));
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
    }

    /// <summary>A body that sends its first byte, then holds the rest until released: a slow client keeping its place.</summary>
    private sealed class HeldBody(string json)
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _started;

        public bool Started => _started;

        public void Release() => _released.TrySetResult();

        public HttpContent Content()
        {
            var content = new StreamContent(new Held(this, Encoding.UTF8.GetBytes(json)));
            content.Headers.ContentType = new("application/json");
            return content;
        }

        private sealed class Held(HeldBody owner, byte[] bytes) : Stream
        {
            private int _position;

            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                if (_position == 1)
                {
                    owner._started = true;
                    await owner._released.Task.WaitAsync(cancellationToken);
                }
                var count = _position == 0 ? 1 : Math.Min(buffer.Length, bytes.Length - _position);
                bytes.AsMemory(_position, count).CopyTo(buffer);
                _position += count;
                return count;
            }

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

            public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
