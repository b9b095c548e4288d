using Kontakt.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddKontakt();

var app = builder.Build();
app.UseKontakt();
app.Run();

/// <summary>Entry point; public so the test host can start the real application.</summary>
public partial class Program;
