using Kontakt.Api.Cli;
using Kontakt.Api.Hosting;

if (KeysCommand.Handles(args))
{
    return await KeysCommand.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddKontakt();

var app = builder.Build();
app.UseKontakt();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so the test host can start the real application.</summary>
public partial class Program;
