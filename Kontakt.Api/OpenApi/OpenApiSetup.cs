using Microsoft.OpenApi;

namespace Kontakt.Api.OpenApi;

/// <summary>Swagger document and UI at <c>/swagger</c>.</summary>
internal static class OpenApiSetup
{
    public static IServiceCollection AddKontaktOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Kontakt",
                Version = "v1",
                Description = "Clinical patient-record ingest. Records are stored with their PHI in an audited store; " +
                              "analysts read a public store that holds only patient ID and favorite color." + ApiText.StatusMeanings,
            });
            foreach (var xml in new[] { "Kontakt.Api.xml", "Kontakt.Core.xml" })
            {
                var path = Path.Combine(AppContext.BaseDirectory, xml);
                if (File.Exists(path))
                {
                    swagger.IncludeXmlComments(path);
                }
            }
            swagger.OperationFilter<ExamplesOperationFilter>();
        });
        return services;
    }

    public static WebApplication UseKontaktOpenApi(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/swagger/v1/swagger.json", "Kontakt v1");
            ui.RoutePrefix = "swagger";
            ui.DocumentTitle = "Kontakt API";
        });
        return app;
    }
}
