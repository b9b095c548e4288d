using Npgsql;

namespace Kontakt.Core.Ingest;

/// <summary>Tells failures worth retrying (the database was away, busy or chose a victim) from a record the database refuses.</summary>
internal static class TransientFailure
{
    public static bool IsTransient(Exception error) => error switch
    {
        PostgresException postgres => postgres.IsTransient || postgres.SqlState is
            PostgresErrorCodes.SerializationFailure or
            PostgresErrorCodes.DeadlockDetected or
            PostgresErrorCodes.LockNotAvailable or
            PostgresErrorCodes.AdminShutdown or
            PostgresErrorCodes.CrashShutdown or
            PostgresErrorCodes.CannotConnectNow or
            PostgresErrorCodes.TooManyConnections or
            PostgresErrorCodes.QueryCanceled,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,
        TimeoutException or IOException or System.Net.Sockets.SocketException => true,
        _ => false,
    };
}
