using CloudGateway.Model;
using Npgsql;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

public sealed partial class PostgresConfigurationStore
{
    /// <inheritdoc />
    public IReadOnlyList<Tenant> GetTenants() => _database.Read((c, t) => ReadTenants(c, t, null).Select(x => x.Tenant).ToList());

    /// <inheritdoc />
    public Tenant GetTenant(string name) => _database.Read((c, t) => TenantOrThrow(c, t, name).Tenant);

    /// <inheritdoc />
    public Tenant AddTenant(Tenant tenant, string passwordHash)
    {
        ConfigurationGuards.CheckPasswordHash(passwordHash, tenant?.Name);
        var now = _time.GetUtcNow();
        var checkedTenant = TenantValidator.Check(tenant!) with { Created = now, Modified = now, FailedLogonCount = 0, LastFailedLogon = null, LockedUntil = null };
        return _database.Write((c, t) =>
        {
            EnsureNameFree(c, t, "tenants", "tenant", checkedTenant.Name, checkedTenant.Id, isNew: true);
            CheckTenantPools(c, t, checkedTenant);
            UpsertTenant(c, t, checkedTenant, passwordHash);
            return TenantOrThrow(c, t, checkedTenant.Name).Tenant;
        });
    }

    /// <inheritdoc />
    public Tenant UpdateTenant(string name, Func<Tenant, Tenant> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _database.Write((c, t) =>
        {
            var (current, hash) = TenantOrThrow(c, t, name);
            var updated = TenantValidator.Check(change(current) with
            {
                Id = current.Id,
                Created = current.Created,
                Modified = _time.GetUtcNow(),
                FailedLogonCount = current.FailedLogonCount,
                LastFailedLogon = current.LastFailedLogon,
                LockedUntil = current.LockedUntil,
            });
            EnsureNameFree(c, t, "tenants", "tenant", updated.Name, updated.Id, isNew: false);
            CheckTenantPools(c, t, updated);
            UpsertTenant(c, t, updated, hash);
            return TenantOrThrow(c, t, updated.Name).Tenant;
        });
    }

    /// <inheritdoc />
    public void SetTenantPassword(string name, string passwordHash)
    {
        ConfigurationGuards.CheckPasswordHash(passwordHash, name);
        _database.Write((c, t) => Execute(c, t, "UPDATE tenants SET password_hash = @hash, modified = @now WHERE id = @id",
            ("hash", passwordHash), ("now", Utc(_time.GetUtcNow())), ("id", TenantOrThrow(c, t, name).Tenant.Id)));
    }

    /// <inheritdoc />
    public void RemoveTenant(string name) => _database.Write((c, t) =>
        Execute(c, t, "DELETE FROM tenants WHERE id = @id", ("id", TenantOrThrow(c, t, name).Tenant.Id)));

    /// <inheritdoc />
    public Tenant RecordFailedLogon(string name, DateTimeOffset at, LockoutPolicy policy, int sources)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return _database.Write((c, t) =>
        {
            var (tenant, _) = TenantOrThrow(c, t, name);
            var (count, lockedUntil) = ConfigurationGuards.FailedLogon(tenant, at, policy, sources);
            Execute(c, t, "UPDATE tenants SET failed_logon_count = @count, last_failed_logon = @at, locked_until = @locked WHERE id = @id",
                ("count", count), ("at", Utc(at)), ("locked", Utc(lockedUntil)), ("id", tenant.Id));
            return TenantOrThrow(c, t, tenant.Name).Tenant;
        });
    }

    /// <inheritdoc />
    public Tenant ResetFailedLogons(string name) => _database.Write((c, t) =>
    {
        var (tenant, _) = TenantOrThrow(c, t, name);
        Execute(c, t, "UPDATE tenants SET failed_logon_count = 0, last_failed_logon = NULL, locked_until = NULL WHERE id = @id", ("id", tenant.Id));
        return TenantOrThrow(c, t, tenant.Name).Tenant;
    });

    /// <inheritdoc />
    public void ForgiveFailedLogons(string name) => _database.Write((c, t) =>
        Execute(c, t, "UPDATE tenants SET failed_logon_count = 0 WHERE id = @id", ("id", TenantOrThrow(c, t, name).Tenant.Id)));

    private static void CheckTenantPools(NpgsqlConnection c, NpgsqlTransaction t, Tenant tenant) =>
        ConfigurationGuards.CheckTenantPools(tenant, pool => FindId(c, t, "pools", pool) is not null);

    private static void UpsertTenant(NpgsqlConnection c, NpgsqlTransaction t, Tenant x, string passwordHash)
    {
        Execute(c, t,
            "INSERT INTO tenants (id, name, name_key, description, enabled, lease_expiration, password_hash, gateway_selection, gateway_failover, " +
            "max_concurrent_sessions, upload_bandwidth, download_bandwidth, failed_logon_count, last_failed_logon, locked_until, created, modified) " +
            "VALUES (@id, @name, @key, @description, @enabled, @lease, @hash, @selection, @failover, @sessions, @upload, @download, @failed, @lastFailed, @locked, @created, @modified) " +
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, description = excluded.description, enabled = excluded.enabled, " +
            "lease_expiration = excluded.lease_expiration, password_hash = excluded.password_hash, gateway_selection = excluded.gateway_selection, " +
            "gateway_failover = excluded.gateway_failover, max_concurrent_sessions = excluded.max_concurrent_sessions, upload_bandwidth = excluded.upload_bandwidth, " +
            "download_bandwidth = excluded.download_bandwidth, failed_logon_count = excluded.failed_logon_count, last_failed_logon = excluded.last_failed_logon, " +
            "locked_until = excluded.locked_until, created = excluded.created, modified = excluded.modified",
            ("id", x.Id), ("name", x.Name), ("key", Key(x.Name)), ("description", x.Description), ("enabled", x.Enabled), ("lease", Utc(x.LeaseExpiration)),
            ("hash", passwordHash), ("selection", x.GatewaySelection.ToString()), ("failover", x.GatewayFailover), ("sessions", x.MaxConcurrentSessions),
            ("upload", x.UploadBandwidth), ("download", x.DownloadBandwidth), ("failed", x.FailedLogonCount), ("lastFailed", Utc(x.LastFailedLogon)),
            ("locked", Utc(x.LockedUntil)), ("created", Utc(x.Created)), ("modified", Utc(x.Modified)));
        Execute(c, t, "DELETE FROM tenant_pools WHERE tenant_id = @id", ("id", x.Id));
        for (var position = 0; position < x.Pools.Count; position++)
        {
            Execute(c, t, "INSERT INTO tenant_pools (tenant_id, pool_id, position) SELECT @tenant, id, @position FROM pools WHERE name_key = @key",
                ("tenant", x.Id), ("position", position), ("key", Key(x.Pools[position])));
        }
    }

    private static TenantCredential TenantOrThrow(NpgsqlConnection c, NpgsqlTransaction t, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ReadTenants(c, t, name).SingleOrDefault() ?? throw ConfigurationGuards.NotFound("tenant", name);
    }

    private static List<TenantCredential> ReadTenants(NpgsqlConnection c, NpgsqlTransaction t, string? name)
    {
        var pools = Query(c, t,
            "SELECT tp.tenant_id, p.name FROM tenant_pools tp JOIN pools p ON p.id = tp.pool_id ORDER BY tp.tenant_id, tp.position",
            r => (Tenant: r.GetGuid(0), Pool: r.GetString(1))).ToLookup(p => p.Tenant, p => p.Pool);
        return Query(c, t,
            "SELECT id, name, description, enabled, lease_expiration, gateway_selection, gateway_failover, max_concurrent_sessions, upload_bandwidth, " +
            "download_bandwidth, failed_logon_count, last_failed_logon, locked_until, created, modified, password_hash " +
            "FROM tenants WHERE @key::text IS NULL OR name_key = @key ORDER BY name_key",
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
                    Created = Time(r, 13),
                    Modified = Time(r, 14),
                },
                r.GetString(15)),
            ("key", name is null ? null : Key(name)));
    }
}
