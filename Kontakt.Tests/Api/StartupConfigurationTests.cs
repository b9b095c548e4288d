using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Kontakt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kontakt.Tests.Api;

/// <summary>Settings are checked when the service starts, not when a request first needs them.</summary>
public sealed class StartupConfigurationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData("Kontakt:Embedded:Port", "70000", "Port")]
    [InlineData("Kontakt:Ingest:DrainTimeout", "00:00:00", "DrainTimeout")]
    public void An_out_of_range_setting_stops_the_service_at_start(string key, string value, string member)
    {
        using var factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var validation = Assert.IsType<OptionsValidationException>(Unwrap(error));
        Assert.Contains(validation.Failures, failure => failure.Contains(member, StringComparison.Ordinal));
    }

    [Fact]
    public void The_drain_timeout_is_the_hosts_shutdown_timeout()
    {
        using var factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?> { ["Kontakt:Ingest:DrainTimeout"] = "00:00:07" });
        using var client = factory.CreateClient();

        Assert.Equal(TimeSpan.FromSeconds(7), factory.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public async Task A_process_that_cannot_start_says_why_in_one_line_and_exits_1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var api = ApiProcess.Launch(database, new Dictionary<string, string?>
        {
            ["Kontakt:Hl7:BindAddress"] = "127.0.0.1",
            ["Kontakt:Hl7:MllpPort"] = port.ToString(CultureInfo.InvariantCulture),
        });

        var exitCode = await api.WaitForExitAsync(TimeSpan.FromSeconds(60));

        // 134 would be the runtime aborting on an unhandled exception.
        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{api.Output}");
        Assert.Contains($"Kontakt stopped: The HL7 MLLP listener cannot listen on 127.0.0.1:{port}", api.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", api.Output, StringComparison.Ordinal);
    }

    private static Exception Unwrap(Exception error) => error switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        _ => error,
    };
}
