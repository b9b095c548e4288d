using Kontakt.Api.Security;
using Kontakt.Core.Security;
using Kontakt.Core.Temporal;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kontakt.Api.Endpoints;

/// <summary>
/// <c>/v1/audit</c>: PHI views for auditors. Kept in one endpoint group so access control and
/// read auditing apply to all of it in one place.
/// </summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/audit").WithTags("Audit (PHI)");

        group.MapGet("/patients/{patientId}", GetPatientAsync)
            .WithName("GetAuditPatient")
            .WithSummary("The PHI master view of a patient as of a system time")
            .WithDescription(
                "Name (as received in the latest record), date of birth, the latest color and the record that set it, first-seen time and record count, " +
                "all as the audit store held them at `asOf`. 404 if the patient had no record by then. **Contains PHI.** " + AsOf.ParameterDescription)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(new OpenApi.ResponseExample(StatusCodes.Status200OK, OpenApi.ApiExamples.AuditPatient))
            .WithMetadata(new AccessAudited(AccessActions.AuditPatientRead));

        return group;
    }

    public static async Task<Results<Ok<AuditPatientView>, ProblemHttpResult>> GetPatientAsync(
        string patientId, string? asOf, HttpContext http,
        [FromKeyedServices(StableHorizon.Primary)] StableHorizon horizon, AuditedReads reads, CancellationToken cancellationToken)
    {
        if (!PatientsApi.TryParsePatientId(patientId, out var id, out var problem) || !AsOf.TryParse(asOf, out var requested, out problem))
        {
            return problem!;
        }
        var effective = await horizon.EffectiveAsync(requested, cancellationToken);
        AsOf.Stamp(http.Response, effective);
        var view = await reads.PatientAsOfAsync(KontaktClaims.ActorOf(http), id, effective, cancellationToken);
        return view is null
            ? Problems.Status(StatusCodes.Status404NotFound, "Patient not found", "No patient had this ID at the requested time.")
            : TypedResults.Ok(view);
    }
}
