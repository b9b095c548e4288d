using Kontakt.Api.Security;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

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
            swagger.OperationFilter<SecurityOperationFilter>();
            swagger.OperationFilter<FhirRequestBodyFilter>();
            swagger.AddSecurityDefinition(KontaktAuthentication.ApiKeyScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = KontaktAuthentication.ApiKeyHeader,
                Description = "An API key (`kontakt_…`) from `keys create`, `POST /v1/admin/keys` or, on the embedded default, `<data dir>/keys/<role>.key`.",
            });
        });
        // Bearer only when the service accepts it, which the final configuration decides.
        services.AddOptions<SwaggerGenOptions>().Configure<IConfiguration>((swagger, configuration) =>
        {
            if (KontaktAuthentication.BearerEnabled(configuration))
            {
                swagger.AddSecurityDefinition(KontaktAuthentication.BearerScheme, new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "A JWT from the identity provider configured in Authentication:Schemes:Bearer, with the role in `role` or `roles`.",
                });
            }
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
