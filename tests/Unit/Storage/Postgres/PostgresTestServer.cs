using Npgsql;

namespace CloudGateway.Tests.Storage.Postgres;

/// <summary>The PostgreSQL the tests use, named by CLOUDGATEWAY_TEST_POSTGRES, and fresh schemas in it.</summary>
internal static class PostgresTestServer
{
    public const string Variable = "CLOUDGATEWAY_TEST_POSTGRES";

    public const string SkipReason =
        "PostgreSQL tests skipped: " + Variable + " is not set. Run: export " + Variable + "=\"$(bash tests/postgres/start-postgres.sh)\"";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    private static string Unpooled(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    public static string Required => ConnectionString ?? throw new InvalidOperationException(SkipReason);

    /// <summary>Runs SQL as the test role outside any store, on a connection of its own (no pool survives a restart).</summary>
    public static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(Unpooled(connectionString));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public static T Scalar<T>(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(Unpooled(connectionString));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return (T)command.ExecuteScalar()!;
    }
}

/// <summary>An empty schema of its own for one test (so tests run in parallel on one server), dropped afterwards.</summary>
internal sealed class PostgresTestSchema : IDisposable
{
    public PostgresTestSchema(string? serverConnectionString = null)
    {
        ServerConnectionString = serverConnectionString ?? PostgresTestServer.Required;
        Name = "cgtest_" + Guid.NewGuid().ToString("N")[..16];
        PostgresTestServer.Execute(ServerConnectionString, $"CREATE SCHEMA {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { SearchPath = Name, Pooling = true }.ConnectionString;
    }

    public string ServerConnectionString { get; }

    public string Name { get; }

    /// <summary>The server's connection string with Search Path set to this schema.</summary>
    public string ConnectionString { get; }

    public void Dispose()
    {
        PostgresTestServer.Execute(ServerConnectionString, $"DROP SCHEMA IF EXISTS {Name} CASCADE");
    }
}
