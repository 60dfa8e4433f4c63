using System.Net.Sockets;
using Npgsql;

namespace CloudGateway.Storage.Postgres;

/// <summary>Turns PostgreSQL failures into <see cref="GatewayException"/>s that never carry the connection string.</summary>
internal static class PostgresErrors
{
    /// <summary>SQLSTATE of a serialization failure: the transaction may succeed when run again.</summary>
    public const string SerializationFailure = "40001";

    /// <summary>SQLSTATE of a deadlock: the transaction may succeed when run again.</summary>
    public const string DeadlockDetected = "40P01";

    /// <summary>SQLSTATE of a unique index violation.</summary>
    public const string UniqueViolation = "23505";

    /// <summary>Whether running the transaction again may succeed.</summary>
    public static bool IsRetryable(Exception exception) =>
        exception is PostgresException { SqlState: SerializationFailure or DeadlockDetected };

    /// <summary>Whether the failure means the server could not be reached or the connection was lost.</summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is NpgsqlException { InnerException: SocketException or IOException or TimeoutException }
        || exception is NpgsqlException and not PostgresException
        || exception is PostgresException { SqlState: var state } && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal))
        || exception is SocketException or TimeoutException;

    /// <summary>The exception to throw for a database failure that is not one of the store's own.</summary>
    public static GatewayException Translate(Exception exception, string location)
    {
        if (exception is PostgresException { SqlState: UniqueViolation } unique)
        {
            return new GatewayException(GatewayErrorCode.DuplicateName, "An object with that name was added by someone else at the same time.", unique.TableName, exception);
        }

        if (exception is PostgresException { SqlState: "28P01" or "28000" })
        {
            return new GatewayException(GatewayErrorCode.StoreUnavailable, $"PostgreSQL refused the credentials for {location}.", location, exception);
        }

        if (exception is PostgresException postgres && !IsUnavailable(exception))
        {
            return new GatewayException(GatewayErrorCode.StoreUnavailable, $"PostgreSQL at {location} failed: {postgres.SqlState} {postgres.MessageText}", location, exception);
        }

        return new GatewayException(GatewayErrorCode.StoreUnavailable, $"The PostgreSQL configuration database at {location} cannot be reached: {exception.GetBaseException().Message}", location, exception);
    }
}
