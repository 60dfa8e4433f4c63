using CloudGateway.Storage.Postgres;
using CloudGateway.Storage.Sqlite;

namespace CloudGateway.Storage;

/// <summary>Which configuration database a session uses, the schema version it is at, and its change counter.</summary>
/// <param name="Path">Where the configuration lives (a file path, or a connection string without secrets).</param>
/// <param name="SchemaVersion">The schema version of the database.</param>
/// <param name="ChangeCounter">The number that grows with every committed change.</param>
public sealed record DatabaseInfo(string Path, int SchemaVersion, long ChangeCounter)
{
    /// <summary>Describes <paramref name="store"/> as it is now.</summary>
    public static DatabaseInfo Describe(IConfigurationStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var schemaVersion = store switch
        {
            SqliteConfigurationStore sqlite => sqlite.GetSchemaVersion(),
            PostgresConfigurationStore postgres => postgres.GetSchemaVersion(),
            _ => throw new GatewayException(GatewayErrorCode.PlatformNotSupported, $"The schema version of a {store.GetType().Name} cannot be read.", store.Location),
        };
        return new DatabaseInfo(store.Location, schemaVersion, store.GetChangeCounter());
    }
}
