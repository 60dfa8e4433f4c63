using CloudGateway.Storage.Sqlite;

namespace CloudGateway.Tests.Storage.Sqlite;

/// <summary>Writes tenant rows straight into the core tenant table, for tests of tables that refer to tenants.</summary>
internal static class TenantRows
{
    public static void Add(string databasePath, string name)
    {
        using var database = SqliteDatabase.Open(databasePath);
        database.Write((connection, transaction) => connection.Execute(transaction,
            "INSERT INTO tenants (id, name, name_key, description, enabled, password_hash, gateway_selection, gateway_failover, " +
            "max_concurrent_sessions, upload_bandwidth, download_bandwidth, failed_logon_count, created, modified) " +
            "VALUES ($id, $name, $key, '', 1, 'x', 'Standalone', 0, 0, 0, 0, 0, 0, 0)",
            ("$id", Guid.NewGuid().ToString()), ("$name", name), ("$key", name.ToUpperInvariant())));
    }
}
