using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Kontakt.Core.Temporal;
using Kontakt.Tests.Support;
using Npgsql;

namespace Kontakt.Tests.Faults;

/// <summary>
/// A primary, a real streaming standby made from it with <c>pg_basebackup -R</c>, and two API instances on the
/// primary: one with <c>ConnectionStrings:KontaktReadOnly</c> naming the standby, one without (the reference).
/// </summary>
public sealed class StandbyDeployment : IAsyncLifetime
{
    private DedicatedPostgres? _primary;
    private StreamingStandby? _standby;
    private KontaktApiFactory? _withStandby;
    private KontaktApiFactory? _primaryOnly;

    public StreamingStandby Standby => _standby!;

    /// <summary>The runtime role on the primary.</summary>
    public string PrimaryRuntimeConnectionString => _primary!.RuntimeConnectionString;

    /// <summary>The API whose public reads go to the standby.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>An API on the same primary without a standby: what every answer must equal.</summary>
    public HttpClient PrimaryApi { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _primary = await DedicatedPostgres.StartAsync();
        var primarySettings = new Dictionary<string, string?> { ["ConnectionStrings:Kontakt"] = _primary.RuntimeConnectionString };
        _primaryOnly = new KontaktApiFactory(_primary.ConnectionString, primarySettings);
        PrimaryApi = _primaryOnly.CreateClient();
        // Started before the base backup: the runtime role's grants are then on the standby too.
        using (var ready = await PrimaryApi.GetAsync(new Uri("/health/ready", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        _standby = await StreamingStandby.StartAsync(_primary);
        _withStandby = new KontaktApiFactory(_primary.ConnectionString, new Dictionary<string, string?>(primarySettings)
        {
            ["ConnectionStrings:KontaktReadOnly"] = _standby.RuntimeConnectionString,
            ["Kontakt:Standby:ProbeInterval"] = "00:00:00.100",
        });
        Api = _withStandby.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        PrimaryApi?.Dispose();
        if (_withStandby is not null)
        {
            await _withStandby.DisposeAsync();
        }
        if (_primaryOnly is not null)
        {
            await _primaryOnly.DisposeAsync();
        }
        if (_standby is not null)
        {
            await _standby.DisposeAsync();
        }
        if (_primary is not null)
        {
            await _primary.DisposeAsync();
        }
    }
}

/// <summary>Public reads from a streaming standby: answers as of what it has replayed, fallback, and what never goes there.</summary>
[Collection(FaultTests.Name)]
public sealed class StandbyReadsTests(StandbyDeployment deployment) : IClassFixture<StandbyDeployment>
{
    private readonly HttpClient _api = deployment.Api;
    private readonly StreamingStandby _standby = deployment.Standby;

    private static string At(DateTimeOffset time) => Uri.EscapeDataString(SystemTime.Format(time));

    private static async Task<string> PostAsync(HttpClient client, string name, string color, string? recordId = null)
    {
        using var response = await client.PostRecordAsync(ApiJson.Record(name, color: color, recordId: recordId));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("patientId").GetString()!;
    }

    private async Task<(HttpStatusCode Status, string? Color, string? AsOf)> ReadAsync(string patientId, DateTimeOffset? asOf = null)
    {
        using var response = await _api.GetAsync(new Uri(asOf is { } time ? $"/v1/patients/{patientId}?asOf={At(time)}" : $"/v1/patients/{patientId}", UriKind.Relative));
        var header = response.Headers.TryGetValues("Kontakt-As-Of", out var values) ? values.Single() : null;
        return response.StatusCode == HttpStatusCode.OK
            ? (response.StatusCode, (await response.JsonAsync()).GetProperty("favoriteColor").GetString(), header)
            : (response.StatusCode, null, header);
    }

    private async Task<double?> MetricAsync(string name)
    {
        var text = await _api.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var samples = PrometheusText.Samples(text).Where(sample => sample.Name == name).ToList();
        return samples.Count == 0 ? null : samples.Single().Value;
    }

    private async Task<JsonElement> ReadinessAsync()
    {
        using var response = await _api.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task Reads_come_from_the_standby_as_of_what_it_has_replayed_while_writes_and_PHI_reads_stay_on_the_primary()
    {
        var name = TestRecords.UniqueName("Standby");
        var patientId = await PostAsync(_api, name, "red");
        await _standby.CaughtUpAsync();
        await _standby.PauseReplayAsync();
        try
        {
            var replayed = await _standby.HorizonAsync();
            // Written while the standby replays nothing: writes and identity resolution are the primary's.
            var newcomerRecord = $"standby-newcomer-{Guid.NewGuid():N}";
            var newcomerId = await PostAsync(_api, TestRecords.UniqueName("Newcomer"), "blue", newcomerRecord);
            await PostAsync(_api, name, "green");
            var primaryHorizon = await _standby.PrimaryHorizonAsync();
            Assert.True(primaryHorizon > replayed);

            // Public reads are the standby's: the current color and every later time are as of its horizon, and say so.
            Assert.Equal((HttpStatusCode.OK, "red", null), await ReadAsync(patientId));
            foreach (var asOf in new[] { primaryHorizon, DateTimeOffset.UtcNow.AddHours(1) })
            {
                Assert.Equal((HttpStatusCode.OK, "red", SystemTime.Format(replayed)), await ReadAsync(patientId, asOf));
            }
            Assert.Equal(HttpStatusCode.NotFound, (await ReadAsync(newcomerId)).Status);
            using (var history = await _api.GetAsync(new Uri($"/v1/patients/{patientId}/history", UriKind.Relative)))
            {
                Assert.Equal(["red"], (await history.JsonAsync()).EnumerateArray().Select(v => v.GetProperty("favoriteColor").GetString()));
            }

            // PHI reads are the primary's, as of the primary's horizon, and their access event is written there (in the
            // same transaction: on the read-only standby it would fail).
            using (var audit = await _api.GetAsync(new Uri($"/v1/audit/patients/{newcomerId}?asOf={At(primaryHorizon)}", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
                Assert.Equal(SystemTime.Format(primaryHorizon), audit.Headers.GetValues("Kontakt-As-Of").Single());
            }
            using (var status = await _api.GetAsync(new Uri($"/v1/records/{newcomerRecord}", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, status.StatusCode);
            }

            // Replay stopped with WAL waiting: the lag gauge shows it.
            await Eventually.TrueAsync(async () => await MetricAsync("kontakt_standby_replay_lag_seconds") > 0,
                TimeSpan.FromSeconds(10), "the replay lag stayed 0 while replay was paused behind the primary");
            Assert.Equal(1, await MetricAsync("kontakt_standby_up"));
        }
        finally
        {
            await _standby.ResumeReplayAsync();
        }

        await _standby.CaughtUpAsync();
        var caughtUp = await _standby.HorizonAsync();
        Assert.Equal((HttpStatusCode.OK, "green", SystemTime.Format(caughtUp)), await ReadAsync(patientId, DateTimeOffset.UtcNow.AddHours(1)));
        Assert.Equal((HttpStatusCode.OK, "green", null), await ReadAsync(patientId));
    }

    [Fact]
    public async Task A_snapshot_and_its_manifest_for_a_time_are_byte_identical_from_the_standby_and_from_the_primary()
    {
        for (var i = 0; i < 20; i++)
        {
            var name = TestRecords.UniqueName("Manifest");
            await PostAsync(_api, name, "red");
            await PostAsync(_api, name, i % 2 == 0 ? "sky blue" : "#00ff7f");
        }
        await _standby.CaughtUpAsync();
        await _standby.PauseReplayAsync();
        try
        {
            var replayed = await _standby.HorizonAsync();
            for (var i = 0; i < 5; i++)
            {
                await PostAsync(_api, TestRecords.UniqueName("Later"), "green");
            }
            Assert.True(await _standby.PrimaryHorizonAsync() > replayed);

            // Without asOf the standby answers as of its own horizon, not the primary's.
            using var fromStandby = await _api.GetAsync(new Uri("/v1/snapshots/public/manifest", UriKind.Relative));
            Assert.Equal(SystemTime.Format(replayed), fromStandby.Headers.GetValues("Kontakt-As-Of").Single());
            using var fromPrimary = await deployment.PrimaryApi.GetAsync(new Uri($"/v1/snapshots/public/manifest?asOf={At(replayed)}", UriKind.Relative));
            var standbyManifest = await fromStandby.Content.ReadAsStringAsync();
            Assert.Equal(standbyManifest, await fromPrimary.Content.ReadAsStringAsync());

            var standbyExport = await _api.GetByteArrayAsync(new Uri($"/v1/snapshots/public?asOf={At(replayed)}", UriKind.Relative));
            var primaryExport = await deployment.PrimaryApi.GetByteArrayAsync(new Uri($"/v1/snapshots/public?asOf={At(replayed)}", UriKind.Relative));
            Assert.Equal(primaryExport, standbyExport);
            var manifest = JsonDocument.Parse(standbyManifest).RootElement;
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(standbyExport)), manifest.GetProperty("sha256").GetString());
            Assert.True(manifest.GetProperty("patients").GetInt64() >= 20);
        }
        finally
        {
            await _standby.ResumeReplayAsync();
        }
    }

    [Fact]
    public async Task With_the_standby_down_reads_fall_back_to_the_primary_and_readiness_says_degraded_until_it_returns()
    {
        var name = TestRecords.UniqueName("Fallback");
        var patientId = await PostAsync(_api, name, "red");
        await _standby.CaughtUpAsync();
        Assert.Equal("Healthy", (await ReadinessAsync()).GetProperty("status").GetString());

        await _standby.StopAsync();
        try
        {
            await PostAsync(_api, name, "blue");
            var primaryHorizon = await _standby.PrimaryHorizonAsync();
            Assert.Equal((HttpStatusCode.OK, "blue", null), await ReadAsync(patientId));
            Assert.Equal((HttpStatusCode.OK, "blue", SystemTime.Format(primaryHorizon)), await ReadAsync(patientId, DateTimeOffset.UtcNow.AddHours(1)));
            using (var manifest = await _api.GetAsync(new Uri("/v1/snapshots/public/manifest", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
            }

            var readiness = await ReadinessAsync();
            Assert.Equal("Degraded", readiness.GetProperty("status").GetString());
            Assert.Contains("Standby unreachable", readiness.GetProperty("checks").GetProperty("standby").GetString(), StringComparison.Ordinal);
            // A gauge is as fresh as the last probe and scrape: a probe that began before the stop, or a scrape
            // cached a moment earlier, may still say 1; it must say 0 while the standby stays down.
            await Eventually.TrueAsync(async () => await MetricAsync("kontakt_standby_up") == 0,
                TimeSpan.FromSeconds(10), "kontakt_standby_up did not drop to 0 while the standby was down");
        }
        finally
        {
            await _standby.StartAgainAsync();
        }

        await Eventually.TrueAsync(async () => (await ReadinessAsync()).GetProperty("status").GetString() == "Healthy",
            TimeSpan.FromSeconds(30), "readiness did not say Healthy once the standby was back");
        await _standby.CaughtUpAsync();
        await _standby.PauseReplayAsync();
        try
        {
            // Back on the standby: its horizon again.
            var replayed = await _standby.HorizonAsync();
            await PostAsync(_api, name, "green");
            Assert.Equal((HttpStatusCode.OK, "blue", SystemTime.Format(replayed)), await ReadAsync(patientId, DateTimeOffset.UtcNow.AddHours(1)));
        }
        finally
        {
            await _standby.ResumeReplayAsync();
        }
    }

    [Fact]
    public async Task A_read_for_a_time_the_standby_has_not_replayed_goes_to_the_primary()
    {
        await using var primary = NpgsqlDataSource.Create(deployment.PrimaryRuntimeConnectionString);
        await using var standby = NpgsqlDataSource.Create(_standby.RuntimeConnectionString);
        var reads = new ReadDataSource(primary, standby, new StandbyStatus(configured: true), TimeProvider.System);
        var timeline = new PatientTimeline(reads);
        var name = TestRecords.UniqueName("Behind");
        var patientId = Guid.Parse(await PostAsync(_api, name, "red"));
        await _standby.CaughtUpAsync();
        await _standby.PauseReplayAsync();
        try
        {
            var replayed = await _standby.HorizonAsync();
            await PostAsync(_api, name, "green");
            var primaryHorizon = await _standby.PrimaryHorizonAsync();
            var standbyPort = new NpgsqlConnectionStringBuilder(_standby.RuntimeConnectionString).Port;
            var primaryPort = new NpgsqlConnectionStringBuilder(deployment.PrimaryRuntimeConnectionString).Port;

            Assert.Equal(standbyPort, await reads.ReadAsync(null, ServerPortAsync, CancellationToken.None));
            Assert.Equal(standbyPort, await reads.ReadAsync(replayed, ServerPortAsync, CancellationToken.None));
            Assert.Equal(primaryPort, await reads.ReadAsync(primaryHorizon, ServerPortAsync, CancellationToken.None));
            Assert.Equal(replayed, await new StableHorizon(reads).EffectiveAsync(null, CancellationToken.None));
            // A time this process already knows to be stable (read earlier from the primary, say) is answered for
            // exactly that time, by a server that has it.
            Assert.Equal("red", (await timeline.FindAsOfAsync(patientId, replayed, CancellationToken.None))!.FavoriteColor);
            Assert.Equal("green", (await timeline.FindAsOfAsync(patientId, primaryHorizon, CancellationToken.None))!.FavoriteColor);
        }
        finally
        {
            await _standby.ResumeReplayAsync();
        }
    }

    private static async Task<int> ServerPortAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT inet_server_port()", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
