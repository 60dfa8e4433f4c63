using Npgsql;

namespace CloudGateway.Storage.Postgres;

/// <summary>
/// Brings the current schema of a PostgreSQL database to the newest CloudGateway schema: forward only, each
/// migration in the same transaction as its version row, serialized across servers by an advisory lock. A schema
/// that holds other tables, or a newer CloudGateway schema, is refused and left untouched.
/// </summary>
internal static class PostgresMigrations
{
    private const string ResourcePrefix = "CloudGateway.Storage.Postgres.Migrations.";
    private const long MigrationLockKey = 0x436C6F7564475731;

    /// <summary>The migrations this build knows, in order: (version, name, SQL).</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> All { get; } = Load();

    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => All[^1].Version;

    /// <summary>Applies every missing migration and returns the schema version found before.</summary>
    public static int Apply(NpgsqlConnection connection, string location)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockKey})");
        var schema = Scalar<string?>(connection, transaction, "SELECT current_schema()")
            ?? throw new GatewayException(GatewayErrorCode.StoreUnavailable, $"The schema named in Search Path does not exist in {location}; create it first or remove Search Path.", location);
        var found = CurrentVersion(connection, transaction, schema, location);
        if (found > LatestVersion)
        {
            throw new GatewayException(GatewayErrorCode.SchemaTooNew, $"The configuration database at {location} has schema version {found}; this CloudGateway knows up to {LatestVersion}. Update CloudGateway.", location);
        }

        if (found == 0)
        {
            Execute(connection, transaction, "CREATE TABLE cloudgateway_schema (version integer PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())");
        }

        foreach (var (version, name, sql) in All.Where(m => m.Version > found))
        {
            Execute(connection, transaction, sql);
            using var record = new NpgsqlCommand("INSERT INTO cloudgateway_schema (version, name) VALUES (@v, @n)", connection, transaction);
            record.Parameters.AddWithValue("v", version);
            record.Parameters.AddWithValue("n", name);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
        return found;
    }

    private static int CurrentVersion(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, string location)
    {
        using var tables = new NpgsqlCommand("SELECT count(*) FILTER (WHERE table_name = 'cloudgateway_schema'), count(*) FROM information_schema.tables WHERE table_schema = @s", connection, transaction);
        tables.Parameters.AddWithValue("s", schema);
        long marker, total;
        using (var reader = tables.ExecuteReader())
        {
            reader.Read();
            marker = reader.GetInt64(0);
            total = reader.GetInt64(1);
        }

        if (marker == 0)
        {
            return total == 0
                ? 0
                : throw new GatewayException(GatewayErrorCode.NotAConfigurationDatabase, $"Schema '{schema}' of {location} holds other tables and is not a CloudGateway configuration; use an empty schema or database.", location);
        }

        return Scalar<int?>(connection, transaction, "SELECT max(version) FROM cloudgateway_schema")
            ?? throw new GatewayException(GatewayErrorCode.DatabaseCorrupt, $"The schema version table of {location} is empty.", location);
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    private static T Scalar<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default! : (T)value;
    }

    private static List<(int, string, string)> Load()
    {
        var assembly = typeof(PostgresMigrations).Assembly;
        var migrations = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var file = resource[ResourcePrefix.Length..^".sql".Length];
            var version = int.Parse(file[..4], System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add((version, file[5..], reader.ReadToEnd()));
        }

        return migrations;
    }
}
