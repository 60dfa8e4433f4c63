using Npgsql;

namespace CloudGateway.Storage.Postgres;

/// <summary>Reads an Npgsql connection string and shows it without its secrets.</summary>
internal static class PostgresConnectionString
{
    /// <summary>Parses <paramref name="connectionString"/>; a malformed one is a validation failure that never echoes the text.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            GatewayException.ThrowIfInvalid("The PostgreSQL connection string", "ConnectionString", [new ValidationProblem(
                "ConnectionString",
                "is not a valid Npgsql connection string (expected key=value pairs such as Host=db1;Database=cloudgateway;Username=cg)")]);
            throw;
        }
    }

    /// <summary>The connection string with Password and SSL passwords removed, safe to show and log.</summary>
    public static string Redact(NpgsqlConnectionStringBuilder builder)
    {
        var copy = new NpgsqlConnectionStringBuilder(builder.ConnectionString);
        copy.Remove("Password");
        copy.Remove("SSL Password");
        return copy.ConnectionString;
    }

    /// <summary>Whether <paramref name="location"/> looks like a connection string rather than a file path.</summary>
    public static bool LooksLikeConnectionString(string location) =>
        location.Contains('=', StringComparison.Ordinal) && (
            location.Contains("host=", StringComparison.OrdinalIgnoreCase) ||
            location.Contains("server=", StringComparison.OrdinalIgnoreCase));
}
