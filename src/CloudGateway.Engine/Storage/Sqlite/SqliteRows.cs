using System.Globalization;
using CloudGateway.Model;
using Microsoft.Data.Sqlite;
using static CloudGateway.Storage.ConfigurationRows;

namespace CloudGateway.Storage.Sqlite;

/// <summary>Reads the configuration tables into model records, inside whatever transaction the caller holds.</summary>
internal static class SqliteRows
{
    /// <summary>The key a name is unique by: its invariant upper-case form.</summary>
    public static string Key(string name) => name.ToUpperInvariant();

    public static long Ticks(DateTimeOffset time) => time.UtcTicks;

    public static object? Ticks(DateTimeOffset? time) => time?.UtcTicks;

    // Each read names its filter only when it has one: SQLite plans "$key IS NULL OR name_key = $key" as a scan of the
    // whole table, so reading one tenant of 10,000 would cost as much as reading them all.
    public static List<Gateway> Gateways(SqliteConnection c, SqliteTransaction? t, string? name = null) => c.Query(t,
        $"SELECT {GatewayColumns} FROM gateways g LEFT JOIN pools p ON p.id = g.pool_id {(name is null ? "" : "WHERE g.name_key = $key")} ORDER BY g.name_key",
        ReadGateway, ("$key", KeyOrNull(name)));

    public static List<GatewayPool> Pools(SqliteConnection c, SqliteTransaction? t, string? name = null)
    {
        var members = c.Query(t, "SELECT pool_id, name FROM gateways WHERE pool_id IS NOT NULL ORDER BY pool_id, pool_position", ReadIdAndName)
            .ToLookup(m => m.Id, m => m.Name);
        return c.Query(t, $"SELECT {PoolColumns} FROM pools {(name is null ? "" : "WHERE name_key = $key")} ORDER BY name_key", r => ReadPool(r, members), ("$key", KeyOrNull(name)));
    }

    public static List<TenantCredential> Tenants(SqliteConnection c, SqliteTransaction? t, string? name = null)
    {
        var pools = c.Query(t,
            "SELECT tp.tenant_id, p.name FROM tenant_pools tp JOIN pools p ON p.id = tp.pool_id " +
            $"{(name is null ? "" : "WHERE tp.tenant_id = (SELECT id FROM tenants WHERE name_key = $key)")} ORDER BY tp.tenant_id, tp.position",
            ReadIdAndName, ("$key", KeyOrNull(name)))
            .ToLookup(p => p.Id, p => p.Name);
        return c.Query(t, $"SELECT {TenantColumns} FROM tenants {(name is null ? "" : "WHERE name_key = $key")} ORDER BY name_key", r => ReadTenant(r, pools), ("$key", KeyOrNull(name)));
    }

    public static List<TenantCredential> TenantsChangedSince(SqliteConnection c, SqliteTransaction? t, long changeCounter)
    {
        var pools = c.Query(t,
            "SELECT tp.tenant_id, p.name FROM tenant_pools tp JOIN pools p ON p.id = tp.pool_id " +
            "WHERE tp.tenant_id IN (SELECT id FROM tenants WHERE changed > $since) ORDER BY tp.tenant_id, tp.position",
            ReadIdAndName, ("$since", changeCounter))
            .ToLookup(p => p.Id, p => p.Name);
        return c.Query(t, $"SELECT {TenantColumns} FROM tenants WHERE changed > $since ORDER BY name_key", r => ReadTenant(r, pools), ("$since", changeCounter));
    }

    public static List<TenantResource> ResourcesChangedSince(SqliteConnection c, SqliteTransaction? t, long changeCounter) => c.Query(t,
        $"SELECT {ResourceColumns} FROM resources r JOIN tenants tn ON tn.id = r.tenant_id WHERE r.changed > $since ORDER BY tn.name_key, r.name_key",
        ReadResource, ("$since", changeCounter));

    public static List<(ConfigurationTable Table, Guid Id)> RemovedSince(SqliteConnection c, SqliteTransaction? t, long changeCounter) => c.Query(t,
        "SELECT kind, id FROM removed_rows WHERE changed > $since ORDER BY changed",
        r => (r.GetString(0) == "tenant" ? ConfigurationTable.Tenants : ConfigurationTable.Resources, Guid.Parse(r.GetString(1))), ("$since", changeCounter));

    public static List<TenantResource> Resources(SqliteConnection c, SqliteTransaction? t, string? tenant = null, string? name = null)
    {
        var filters = new[] { tenant is null ? null : "tn.name_key = $tenant", name is null ? null : "r.name_key = $name" }.OfType<string>().ToList();
        return c.Query(t,
            $"SELECT {ResourceColumns} FROM resources r JOIN tenants tn ON tn.id = r.tenant_id " +
            $"{(filters.Count == 0 ? "" : "WHERE " + string.Join(" AND ", filters))} ORDER BY tn.name_key, r.name_key",
            ReadResource, ("$tenant", KeyOrNull(tenant)), ("$name", KeyOrNull(name)));
    }

    public static long ChangeCounter(SqliteConnection c, SqliteTransaction? t) =>
        Convert.ToInt64(c.Scalar(t, "SELECT value FROM change_counter WHERE id = 1"), CultureInfo.InvariantCulture);

    private static string? KeyOrNull(string? name) => name?.ToUpperInvariant();
}
