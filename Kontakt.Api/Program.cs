using System.Reflection;
using Kontakt.Api.Cli;
using Kontakt.Api.Hosting;

if (KeysCommand.Handles(args))
{
    return await KeysCommand.RunAsync(args, Console.Out, Console.Error);
}

WebApplication? app = null;
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddKontakt();

    app = builder.Build();
    app.UseKontakt();
    // Not app.RunAsync(), which disposes the host however the start ends: the test host watches this same
    // host from another thread, and a host disposed under it answers its failed start with an
    // ObjectDisposedException instead of the failure.
    await app.StartAsync();
    await app.WaitForShutdownAsync();
}
catch (Exception error) when (Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    // A service that cannot start (a port in use, a setting out of range) says why in one line and exits 1;
    // unhandled, the exception would abort the process (SIGABRT, exit 134, possibly a core dump). Only when
    // this is the process's entry point: the test host runs this Main inside the test process, and there
    // the exception is the test's to see.
    var reason = error is AggregateException { InnerExceptions.Count: 1 } single ? single.InnerExceptions[0] : error;
    await Console.Error.WriteLineAsync($"Kontakt stopped: {reason.Message}");
    if (app is not null)
    {
        await app.DisposeAsync();
    }
    return 1;
}
await app.DisposeAsync();
return 0;

/// <summary>Entry point; public so the test host can start the real application.</summary>
public partial class Program;
