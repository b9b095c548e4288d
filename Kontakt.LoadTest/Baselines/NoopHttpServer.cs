using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kontakt.LoadTest.Baselines;

/// <summary>
/// Baseline (a), the HTTP ceiling: an ASP.NET Core minimal API on Kestrel, configured like Kontakt.Api
/// (server GC, same framework), whose <c>POST /v1/records</c> reads the body and answers 201 with a
/// fixed body of the same shape, touching no database. Drive it with wrk to learn what HTTP alone costs.
/// </summary>
public static class NoopHttpServer
{
    private static readonly byte[] Created =
        """{"recordId":"0193a1c2e4f07c3d9b5e2a1f0c4d8e7b","patientId":"3f2c8a4e-0b7d-4c1e-9a51-2d6f0e8b7c90","newPatient":true,"receivedAt":"2026-11-23T10:03:00.123456+00:00"}"""u8.ToArray();

    public static async Task<int> RunAsync(string urls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        app.MapPost("/v1/records", async (HttpContext http) =>
        {
            // Read the whole body, as the real endpoint must, then answer without parsing it.
            var reader = http.Request.BodyReader;
            while (true)
            {
                var read = await reader.ReadAsync(http.RequestAborted);
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
            http.Response.StatusCode = StatusCodes.Status201Created;
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.Body.WriteAsync(Created, http.RequestAborted);
        });
        // The load generator waits for this before it starts, so it can be pointed here too: its own cost per request.
        app.MapGet("/health/ready", () => Results.Ok());
        Console.WriteLine($"No-op baseline listening on {urls} (POST /v1/records → 201). Ctrl+C to stop.");
        await app.RunAsync();
        return ExitCodes.Passed;
    }
}
