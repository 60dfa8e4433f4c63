namespace CloudGateway.Tests.Storage.Postgres;

/// <summary>SQL that takes migration 0006 (the change log) out of a schema, for tests that set a schema back to an older version.</summary>
internal static class PostgresChangeLogUndo
{
    public const string Sql =
        "DROP TABLE removed_rows; " +
        "DROP FUNCTION cloudgateway_stamp_row, cloudgateway_tenant_renamed, cloudgateway_row_removed, cloudgateway_tenant_pools_changed, " +
        "cloudgateway_pool_renamed CASCADE; DROP FUNCTION cloudgateway_current_change; " +
        "ALTER TABLE tenants DROP COLUMN changed; ALTER TABLE resources DROP COLUMN changed; ";
}
