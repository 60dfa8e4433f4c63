using CloudGateway.Model;
using Npgsql;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

public sealed partial class PostgresConfigurationStore
{
    private const string TenantColumns =
        "id, name, description, enabled, lease_expiration, gateway_selection, gateway_failover, max_concurrent_sessions, upload_bandwidth, " +
        "download_bandwidth, failed_logon_count, last_failed_logon, locked_until, created, modified, password_hash";

    /// <inheritdoc />
    public IReadOnlyList<Tenant> GetTenants() => _database.Read((c, t) => ReadTenants(c, t, null).Select(row => row.Tenant).ToList());

    /// <inheritdoc />
    public Tenant GetTenant(string name) => _database.Read((c, t) => ReadTenant(c, t, name));

    /// <inheritdoc />
    public Tenant AddTenant(Tenant tenant, string passwordHash)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        var now = Now;
        var stored = Normalize(tenant) with { Created = now, Modified = now };
        Validate.Tenant(stored);
        return _database.Write((c, t) =>
        {
            if (FindId(c, t, "tenants", stored.Name) is not null)
            {
                throw Duplicate("tenant", stored.Name);
            }

            Execute(c, t,
                "INSERT INTO tenants (id, name, description, enabled, lease_expiration, password_hash, gateway_selection, gateway_failover, " +
                "max_concurrent_sessions, upload_bandwidth, download_bandwidth, failed_logon_count, last_failed_logon, locked_until, created, modified) " +
                "VALUES (@id, @name, @description, @enabled, @lease, @hash, @selection, @failover, @sessions, @upload, @download, @failed, @lastFailed, @locked, @created, @modified)",
                [.. TenantParameters(stored), ("hash", passwordHash)]);
            AssignTenantPools(c, t, stored);
            return ReadTenant(c, t, stored.Name);
        });
    }

    /// <inheritdoc />
    public Tenant UpdateTenant(string name, Func<Tenant, Tenant> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _database.Write((c, t) =>
        {
            var current = ReadTenant(c, t, name);
            var changed = Normalize(change(current)) with { Id = current.Id, Created = current.Created, Modified = Now };
            Validate.Tenant(changed);
            if (FindId(c, t, "tenants", changed.Name) is { } other && other != current.Id)
            {
                throw Duplicate("tenant", changed.Name);
            }

            WriteTenantRow(c, t, changed);
            Execute(c, t, "DELETE FROM tenant_pools WHERE tenant_id = @id", ("id", current.Id));
            AssignTenantPools(c, t, changed);
            return ReadTenant(c, t, changed.Name);
        });
    }

    /// <inheritdoc />
    public void SetTenantPassword(string name, string passwordHash)
    {
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        _database.Write((c, t) =>
            Execute(c, t, "UPDATE tenants SET password_hash = @hash, modified = @now WHERE lower(name) = lower(@n)", ("hash", passwordHash), ("now", Utc(Now)), ("n", name)) == 0
                ? throw NotFound("tenant", name)
                : 0);
    }

    /// <inheritdoc />
    public void RemoveTenant(string name) => _database.Write((c, t) =>
        Execute(c, t, "DELETE FROM tenants WHERE lower(name) = lower(@n)", ("n", name)) == 0 ? throw NotFound("tenant", name) : 0);

    /// <inheritdoc />
    public Tenant RecordFailedLogon(string name, DateTimeOffset at, LockoutPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return _database.Write((c, t) =>
        {
            var current = ReadTenant(c, t, name);
            var inWindow = current.LastFailedLogon is { } last && at - last <= policy.Window;
            var count = inWindow ? current.FailedLogonCount + 1 : 1;
            var changed = current with
            {
                FailedLogonCount = count,
                LastFailedLogon = at,
                LockedUntil = count >= policy.Threshold ? at + policy.Duration : current.LockedUntil,
            };
            WriteTenantRow(c, t, changed);
            return ReadTenant(c, t, name);
        });
    }

    /// <inheritdoc />
    public Tenant ResetFailedLogons(string name) => _database.Write((c, t) =>
    {
        var current = ReadTenant(c, t, name);
        WriteTenantRow(c, t, current with { FailedLogonCount = 0, LastFailedLogon = null, LockedUntil = null, Modified = Now });
        return ReadTenant(c, t, name);
    });

    /// <summary>Pools are what decides the selection: Pools when some are given, Standalone otherwise.</summary>
    private static Tenant Normalize(Tenant tenant) =>
        tenant with { GatewaySelection = tenant.Pools.Count > 0 ? GatewaySelection.Pools : GatewaySelection.Standalone };

    private static void WriteTenantRow(NpgsqlConnection c, NpgsqlTransaction t, Tenant tenant) => Execute(c, t,
        "UPDATE tenants SET name = @name, description = @description, enabled = @enabled, lease_expiration = @lease, gateway_selection = @selection, " +
        "gateway_failover = @failover, max_concurrent_sessions = @sessions, upload_bandwidth = @upload, download_bandwidth = @download, " +
        "failed_logon_count = @failed, last_failed_logon = @lastFailed, locked_until = @locked, modified = @modified WHERE id = @id",
        TenantParameters(tenant));

    private static void AssignTenantPools(NpgsqlConnection c, NpgsqlTransaction t, Tenant tenant)
    {
        for (var position = 0; position < tenant.Pools.Count; position++)
        {
            var pool = tenant.Pools[position];
            var poolId = FindId(c, t, "pools", pool)
                ?? throw new GatewayException(GatewayErrorCode.PoolNotFound, $"Tenant '{tenant.Name}' was given pool '{pool}', which does not exist.", pool);
            Execute(c, t, "INSERT INTO tenant_pools (tenant_id, pool_id, position) VALUES (@tenant, @pool, @position)",
                ("tenant", tenant.Id), ("pool", poolId), ("position", position));
        }
    }

    private static Tenant ReadTenant(NpgsqlConnection c, NpgsqlTransaction t, string name) =>
        ReadTenants(c, t, name).SingleOrDefault()?.Tenant ?? throw NotFound("tenant", name);

    private static List<TenantCredential> ReadTenants(NpgsqlConnection c, NpgsqlTransaction t, string? name)
    {
        var pools = Query(c, t,
            "SELECT tp.tenant_id, p.name FROM tenant_pools tp JOIN pools p ON p.id = tp.pool_id ORDER BY tp.tenant_id, tp.position",
            r => (Tenant: r.GetGuid(0), Pool: r.GetString(1))).ToLookup(p => p.Tenant, p => p.Pool);
        return Query(c, t,
            $"SELECT {TenantColumns} FROM tenants WHERE @n::text IS NULL OR lower(name) = lower(@n) ORDER BY lower(name), name",
            r => new TenantCredential(
                new Tenant
                {
                    Id = r.GetGuid(0),
                    Name = r.GetString(1),
                    Description = r.GetString(2),
                    Enabled = r.GetBoolean(3),
                    LeaseExpiration = NullableTime(r, 4),
                    GatewaySelection = Enum.Parse<GatewaySelection>(r.GetString(5)),
                    Pools = pools[r.GetGuid(0)].ToList(),
                    GatewayFailover = r.GetBoolean(6),
                    MaxConcurrentSessions = r.GetInt32(7),
                    UploadBandwidth = r.GetInt64(8),
                    DownloadBandwidth = r.GetInt64(9),
                    FailedLogonCount = r.GetInt32(10),
                    LastFailedLogon = NullableTime(r, 11),
                    LockedUntil = NullableTime(r, 12),
                    Created = r.GetFieldValue<DateTimeOffset>(13),
                    Modified = r.GetFieldValue<DateTimeOffset>(14),
                },
                r.GetString(15)),
            ("n", name));
    }

    private static (string, object?)[] TenantParameters(Tenant x) =>
    [
        ("id", x.Id), ("name", x.Name), ("description", x.Description), ("enabled", x.Enabled), ("lease", Utc(x.LeaseExpiration)),
        ("selection", x.GatewaySelection.ToString()), ("failover", x.GatewayFailover), ("sessions", x.MaxConcurrentSessions),
        ("upload", x.UploadBandwidth), ("download", x.DownloadBandwidth), ("failed", x.FailedLogonCount),
        ("lastFailed", Utc(x.LastFailedLogon)), ("locked", Utc(x.LockedUntil)), ("created", Utc(x.Created)), ("modified", Utc(x.Modified)),
    ];
}
