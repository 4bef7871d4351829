using System.Net.Sockets;
using Npgsql;

namespace Latchkey.Storage.Postgres;

/// <summary>
/// <see cref="StoreHealth"/> over this store's connections and migrations. The server is unavailable when Npgsql
/// says so: no answer at all (refused, reset, timed out, the pool exhausted), or the server's own "not now".
/// </summary>
internal sealed class PostgresStoreHealth(PostgresConnectionFactory connections)
    : StoreHealth(async cancellationToken => await connections.OpenAsync(cancellationToken), PostgresStoreMigrator.Migrations)
{
    public override bool IsUnavailable(Exception exception)
    {
        // Only an Npgsql exception speaks for the server: an IOException of the request's own (a client that went
        // away) is no news about the database.
        var npgsql = exception;
        while (npgsql is not null and not NpgsqlException)
        {
            npgsql = npgsql.InnerException;
        }

        return npgsql switch
        {
            PostgresException postgres => IsUnavailable(postgres),
            NpgsqlException failure => failure.IsTransient || HasTransportCause(failure),
            _ => false,
        };
    }

    // The connection class (08…), a server shutting down or still starting (57P01–57P03), too many connections (53300),
    // and whatever else Npgsql counts as passing (out of memory, disk full, …). Everything else — a constraint, a
    // syntax error, a permission — is an answer about the statement, not the server.
    private static bool IsUnavailable(PostgresException postgres)
        => postgres.IsTransient
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                or PostgresErrorCodes.TooManyConnections;

    private static bool HasTransportCause(NpgsqlException failure)
    {
        for (var cause = failure.InnerException; cause is not null; cause = cause.InnerException)
        {
            if (cause is SocketException or IOException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
