using Kontakt.Core.Records;
using Kontakt.Core.Storage;

namespace Kontakt.Api.Endpoints;

/// <summary><c>/v1/patients</c>: the public (de-identified) view analysts read. Never PHI.</summary>
public static class PatientsApi
{
    public static IEndpointRouteBuilder MapPatientsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/patients").WithTags("Patients");

        group.MapGet("/{patientId}", GetPatientAsync)
            .WithName("GetPatient")
            .WithSummary("Read a patient's public view")
            .WithDescription("The patient's current favorite color and when it became current. Contains no PHI.")
            .Produces<PublicPatientView>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(new OpenApi.ResponseExample(StatusCodes.Status200OK, OpenApi.ApiExamples.PublicPatient));

        return routes;
    }

    public static async Task<IResult> GetPatientAsync(string patientId, PublicPatientQueries queries, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(patientId, "D", out var id))
        {
            return Problems.Validation([new FieldError("patientId", "must be a UUID such as 3f2c8a4e-0b7d-4c1e-9a51-2d6f0e8b7c90.")]);
        }
        var patient = await queries.FindCurrentAsync(id, cancellationToken);
        return patient is null
            ? Problems.Status(StatusCodes.Status404NotFound, "Patient not found", "No patient has this ID.")
            : TypedResults.Ok(patient);
    }
}
