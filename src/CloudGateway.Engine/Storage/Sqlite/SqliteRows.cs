using System.Globalization;
using CloudGateway.Model;
using Microsoft.Data.Sqlite;

namespace CloudGateway.Storage.Sqlite;

/// <summary>Reads the configuration tables into model records, inside whatever transaction the caller holds.</summary>
internal static class SqliteRows
{
    private const string GatewaySelect = """
        SELECT g.id, g.name, g.description, g.server, g.network_mode, g.address, g.port, g.listen_address,
               g.internal_port, g.enabled, g.created, g.modified, p.name
        FROM gateway g
        LEFT JOIN pool_member m ON m.gateway_id = g.id
        LEFT JOIN gateway_pool p ON p.id = m.pool_id
        """;

    private const string TenantSelect = """
        SELECT id, name, description, enabled, lease_expiration, gateway_selection, gateway_failover,
               max_concurrent_sessions, upload_bandwidth, download_bandwidth, failed_logon_count,
               last_failed_logon, locked_until, created, modified, password_hash
        FROM tenant
        """;

    private const string ResourceSelect = """
        SELECT r.id, t.name, r.name, r.target_host, r.target_port, r.description, r.created, r.modified
        FROM tenant_resource r JOIN tenant t ON t.id = r.tenant_id
        """;

    /// <summary>The key a name is unique by: its invariant upper-case form.</summary>
    public static string Key(string name) => name.ToUpperInvariant();

    public static long Ticks(DateTimeOffset time) => time.UtcTicks;

    public static object? Ticks(DateTimeOffset? time) => time?.UtcTicks;

    public static List<Gateway> Gateways(SqliteConnection c, SqliteTransaction? t, string? name = null) =>
        c.Query(t, GatewaySelect + (name is null ? string.Empty : " WHERE g.name_key = $key") + " ORDER BY g.name_key", ReadGateway, ("$key", name is null ? null : Key(name)));

    public static List<GatewayPool> Pools(SqliteConnection c, SqliteTransaction? t, string? name = null)
    {
        var members = c.Query(t, "SELECT m.pool_id, g.name FROM pool_member m JOIN gateway g ON g.id = m.gateway_id ORDER BY m.pool_id, m.position", r => (Pool: r.GetString(0), Gateway: r.GetString(1)))
            .ToLookup(m => m.Pool, m => m.Gateway);
        return c.Query(t, "SELECT id, name, description, created, modified FROM gateway_pool" + (name is null ? string.Empty : " WHERE name_key = $key") + " ORDER BY name_key", r => new GatewayPool
        {
            Id = Guid.Parse(r.GetString(0)),
            Name = r.GetString(1),
            Description = r.GetString(2),
            Created = Time(r.GetInt64(3)),
            Modified = Time(r.GetInt64(4)),
            Members = members[r.GetString(0)].ToList(),
        }, ("$key", name is null ? null : Key(name)));
    }

    public static List<TenantCredential> Tenants(SqliteConnection c, SqliteTransaction? t, string? name = null)
    {
        var pools = c.Query(t, "SELECT tp.tenant_id, p.name FROM tenant_pool tp JOIN gateway_pool p ON p.id = tp.pool_id ORDER BY tp.tenant_id, tp.position", r => (Tenant: r.GetString(0), Pool: r.GetString(1)))
            .ToLookup(p => p.Tenant, p => p.Pool);
        return c.Query(t, TenantSelect + (name is null ? string.Empty : " WHERE name_key = $key") + " ORDER BY name_key", r => new TenantCredential(new Tenant
        {
            Id = Guid.Parse(r.GetString(0)),
            Name = r.GetString(1),
            Description = r.GetString(2),
            Enabled = r.GetBoolean(3),
            LeaseExpiration = NullableTime(r, 4),
            GatewaySelection = Enum.Parse<GatewaySelection>(r.GetString(5)),
            GatewayFailover = r.GetBoolean(6),
            MaxConcurrentSessions = r.GetInt32(7),
            UploadBandwidth = r.GetInt64(8),
            DownloadBandwidth = r.GetInt64(9),
            FailedLogonCount = r.GetInt32(10),
            LastFailedLogon = NullableTime(r, 11),
            LockedUntil = NullableTime(r, 12),
            Created = Time(r.GetInt64(13)),
            Modified = Time(r.GetInt64(14)),
            Pools = pools[r.GetString(0)].ToList(),
        }, r.GetString(15)), ("$key", name is null ? null : Key(name)));
    }

    public static List<TenantResource> Resources(SqliteConnection c, SqliteTransaction? t, string? tenant = null, string? name = null)
    {
        var where = (tenant, name) switch
        {
            (null, _) => string.Empty,
            (_, null) => " WHERE t.name_key = $tenant",
            _ => " WHERE t.name_key = $tenant AND r.name_key = $name",
        };
        return c.Query(t, ResourceSelect + where + " ORDER BY t.name_key, r.name_key", r => new TenantResource
        {
            Id = Guid.Parse(r.GetString(0)),
            Tenant = r.GetString(1),
            Name = r.GetString(2),
            TargetHost = r.GetString(3),
            TargetPort = r.GetInt32(4),
            Description = r.GetString(5),
            Created = Time(r.GetInt64(6)),
            Modified = Time(r.GetInt64(7)),
        }, ("$tenant", tenant is null ? null : Key(tenant)), ("$name", name is null ? null : Key(name)));
    }

    public static long ChangeCounter(SqliteConnection c, SqliteTransaction? t) =>
        Convert.ToInt64(c.Scalar(t, "SELECT value FROM change_counter WHERE id = 1"), CultureInfo.InvariantCulture);

    private static Gateway ReadGateway(SqliteDataReader r) => new()
    {
        Id = Guid.Parse(r.GetString(0)),
        Name = r.GetString(1),
        Description = r.GetString(2),
        Server = r.GetString(3),
        NetworkMode = Enum.Parse<NetworkMode>(r.GetString(4)),
        Address = r.GetString(5),
        Port = r.GetInt32(6),
        ListenAddress = r.IsDBNull(7) ? null : r.GetString(7),
        InternalPort = r.GetInt32(8),
        Enabled = r.GetBoolean(9),
        Created = Time(r.GetInt64(10)),
        Modified = Time(r.GetInt64(11)),
        Pool = r.IsDBNull(12) ? null : r.GetString(12),
    };

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    private static DateTimeOffset? NullableTime(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : Time(r.GetInt64(ordinal));
}
