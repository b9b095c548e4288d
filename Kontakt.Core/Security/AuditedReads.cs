using Kontakt.Core.Temporal;
using Npgsql;

namespace Kontakt.Core.Security;

/// <summary>
/// Every read of PHI, each with its access event in the same transaction: if the event cannot be
/// written, the transaction fails and no PHI leaves the database.
/// </summary>
public sealed class AuditedReads(NpgsqlDataSource dataSource, AuditQueries audit)
{
    /// <summary>The patient's PHI master view at <paramref name="asOf"/> (null if unknown then), logged as read by <paramref name="actor"/>.</summary>
    public async Task<AuditPatientView?> PatientAsOfAsync(AccessActor actor, Guid patientId, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var view = await audit.FindAsOfAsync(connection, patientId, asOf, cancellationToken);
        var outcome = view is null ? AccessOutcomes.NotFound : AccessOutcomes.Allowed;
        await AccessLog.WriteAsync(connection, actor.Attempt(AccessActions.AuditPatientRead, [patientId], outcome), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return view;
    }
}
