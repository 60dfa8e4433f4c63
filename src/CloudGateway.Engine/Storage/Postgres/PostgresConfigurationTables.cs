using CloudGateway.Model;
using CloudGateway.Networking;
using Npgsql;
using static CloudGateway.Storage.ConfigurationRows;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

/// <summary>
/// The SQL of each configuration table operation on one PostgreSQL connection and transaction. A gateway's pool is its
/// <c>pool_id</c> column (with <c>pool_position</c>); ids are uuid, times timestamptz.
/// </summary>
internal sealed class PostgresConfigurationTables(NpgsqlConnection c, NpgsqlTransaction t) : IConfigurationTables
{
    public INetworkExtensionTables NetworkExtension { get; } = new PostgresNetworkExtensionTables(c, t);

    public long ChangeCounter() => Scalar<long>(c, t, "SELECT value FROM change_counter WHERE id = 1");

    public List<Gateway> ReadGateways(string? name) => Query(c, t,
        $"SELECT {GatewayColumns} FROM gateways g LEFT JOIN pools p ON p.id = g.pool_id WHERE @key::text IS NULL OR g.name_key = @key ORDER BY g.name_key",
        ReadGateway, ("key", KeyOrNull(name)));

    public List<GatewayPool> ReadPools(string? name)
    {
        var members = Query(c, t, "SELECT pool_id, name FROM gateways WHERE pool_id IS NOT NULL ORDER BY pool_id, pool_position", ReadIdAndName)
            .ToLookup(m => m.Id, m => m.Name);
        return Query(c, t, $"SELECT {PoolColumns} FROM pools WHERE @key::text IS NULL OR name_key = @key ORDER BY name_key", r => ReadPool(r, members), ("key", KeyOrNull(name)));
    }

    public List<TenantCredential> ReadTenants(string? name)
    {
        // Only the named tenant's pools when one is named: a single read must not cost as much as reading every tenant.
        var pools = Query(c, t,
            "SELECT tp.tenant_id, p.name FROM tenant_pools tp JOIN pools p ON p.id = tp.pool_id " +
            "WHERE @key::text IS NULL OR tp.tenant_id = (SELECT id FROM tenants WHERE name_key = @key) ORDER BY tp.tenant_id, tp.position",
            ReadIdAndName, ("key", KeyOrNull(name)))
            .ToLookup(p => p.Id, p => p.Name);
        return Query(c, t, $"SELECT {TenantColumns} FROM tenants WHERE @key::text IS NULL OR name_key = @key ORDER BY name_key", r => ReadTenant(r, pools), ("key", KeyOrNull(name)));
    }

    public List<TenantResource> ReadResources(string? tenant, string? name) => Query(c, t,
        $"SELECT {ResourceColumns} FROM resources r JOIN tenants tn ON tn.id = r.tenant_id " +
        "WHERE (@tenant::text IS NULL OR tn.name_key = @tenant) AND (@key::text IS NULL OR r.name_key = @key) ORDER BY tn.name_key, r.name_key",
        ReadResource, ("tenant", KeyOrNull(tenant)), ("key", KeyOrNull(name)));

    public List<TenantCredential> ReadTenantsChangedSince(long changeCounter)
    {
        var pools = Query(c, t,
            "SELECT tp.tenant_id, p.name FROM tenant_pools tp JOIN pools p ON p.id = tp.pool_id " +
            "WHERE tp.tenant_id IN (SELECT id FROM tenants WHERE changed > @since) ORDER BY tp.tenant_id, tp.position",
            ReadIdAndName, ("since", changeCounter))
            .ToLookup(p => p.Id, p => p.Name);
        return Query(c, t, $"SELECT {TenantColumns} FROM tenants WHERE changed > @since ORDER BY name_key", r => ReadTenant(r, pools), ("since", changeCounter));
    }

    public List<TenantResource> ReadResourcesChangedSince(long changeCounter) => Query(c, t,
        $"SELECT {ResourceColumns} FROM resources r JOIN tenants tn ON tn.id = r.tenant_id WHERE r.changed > @since ORDER BY tn.name_key, r.name_key",
        ReadResource, ("since", changeCounter));

    public List<(ConfigurationTable Table, Guid Id)> ReadRemovedSince(long changeCounter) => Query(c, t,
        "SELECT kind, id FROM removed_rows WHERE changed > @since ORDER BY changed",
        r => (r.GetString(0) == "tenant" ? ConfigurationTable.Tenants : ConfigurationTable.Resources, r.GetGuid(1)), ("since", changeCounter));

    public List<(Guid Id, string Name)> Names(ConfigurationTable table, string? tenant = null) => table == ConfigurationTable.Resources
        ? Query(c, t, "SELECT r.id, r.name FROM resources r JOIN tenants tn ON tn.id = r.tenant_id WHERE tn.name_key = @tenant", ReadIdAndName, ("tenant", KeyOrNull(tenant)))
        : Query(c, t, $"SELECT id, name FROM {Name(table)}", ReadIdAndName);

    public bool IdTaken(ConfigurationTable table, Guid id) => Scalar<int?>(c, t, $"SELECT 1 FROM {Name(table)} WHERE id = @id", ("id", id)) is not null;

    public void WriteGateway(Gateway g) => Execute(c, t,
        "INSERT INTO gateways (id, name, name_key, description, server, network_mode, address, port, listen_address, internal_port, enabled, created, modified) " +
        "VALUES (@id, @name, @key, @description, @server, @mode, @address, @port, @listen, @internal, @enabled, @created, @modified) " +
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, description = excluded.description, server = excluded.server, " +
        "network_mode = excluded.network_mode, address = excluded.address, port = excluded.port, listen_address = excluded.listen_address, " +
        "internal_port = excluded.internal_port, enabled = excluded.enabled, created = excluded.created, modified = excluded.modified",
        ("id", g.Id), ("name", g.Name), ("key", Key(g.Name)), ("description", g.Description), ("server", g.Server), ("mode", g.NetworkMode.ToString()),
        ("address", g.Address), ("port", g.Port), ("listen", g.ListenAddress), ("internal", g.InternalPort), ("enabled", g.Enabled),
        ("created", Utc(g.Created)), ("modified", Utc(g.Modified)));

    public void WritePool(GatewayPool pool)
    {
        Execute(c, t,
            "INSERT INTO pools (id, name, name_key, description, created, modified) VALUES (@id, @name, @key, @description, @created, @modified) " +
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, description = excluded.description, " +
            "created = excluded.created, modified = excluded.modified",
            ("id", pool.Id), ("name", pool.Name), ("key", Key(pool.Name)), ("description", pool.Description), ("created", Utc(pool.Created)), ("modified", Utc(pool.Modified)));
        Execute(c, t, "UPDATE gateways SET pool_id = NULL, pool_position = NULL WHERE pool_id = @id", ("id", pool.Id));
        for (var position = 0; position < pool.Members.Count; position++)
        {
            Execute(c, t, "UPDATE gateways SET pool_id = @pool, pool_position = @position WHERE name_key = @key",
                ("pool", pool.Id), ("position", position), ("key", Key(pool.Members[position])));
        }
    }

    public void WriteTenant(Tenant x, string passwordHash)
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

    public void WriteResource(TenantResource r) => Execute(c, t,
        "INSERT INTO resources (id, tenant_id, name, name_key, target_host, target_port, description, created, modified) " +
        "SELECT @id, id, @name, @key, @host, @port, @description, @created, @modified FROM tenants WHERE name_key = @tenant " +
        "ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id, name = excluded.name, name_key = excluded.name_key, target_host = excluded.target_host, " +
        "target_port = excluded.target_port, description = excluded.description, created = excluded.created, modified = excluded.modified",
        ("id", r.Id), ("tenant", Key(r.Tenant)), ("name", r.Name), ("key", Key(r.Name)), ("host", r.TargetHost),
        ("port", r.TargetPort), ("description", r.Description), ("created", Utc(r.Created)), ("modified", Utc(r.Modified)));

    // A tenant's pools, resources and network extension rows go with it (ON DELETE CASCADE).
    public void Delete(ConfigurationTable table, Guid id) => Execute(c, t, $"DELETE FROM {Name(table)} WHERE id = @id", ("id", id));

    public void ClearMemberships()
    {
        Execute(c, t, "DELETE FROM tenant_pools");
        Execute(c, t, "UPDATE gateways SET pool_id = NULL, pool_position = NULL WHERE pool_id IS NOT NULL");
    }

    public void KeepOnly(ConfigurationTable table, IReadOnlyCollection<Guid> kept)
    {
        Execute(c, t, $"DELETE FROM {Name(table)} WHERE NOT (id = ANY(@kept))", ("kept", kept.ToArray()));
        Execute(c, t, $"UPDATE {Name(table)} SET name_key = '#' || id::text");
    }

    public byte[]? ReadCertificate(CertificateSlot slot) => slot == CertificateSlot.Active
        ? Scalar<byte[]>(c, t, "SELECT pkcs12 FROM gateway_certificate WHERE id = 1")
        : Scalar<byte[]>(c, t, "SELECT pkcs12 FROM gateway_certificate_slots WHERE slot = @slot", ("slot", SlotName(slot)));

    public void WriteCertificate(CertificateSlot slot, byte[]? pkcs12, string? thumbprint, DateTimeOffset now)
    {
        if (slot == CertificateSlot.Active)
        {
            Execute(c, t,
                "INSERT INTO gateway_certificate (id, pkcs12, thumbprint, modified) VALUES (1, @p, @thumbprint, @now) " +
                "ON CONFLICT (id) DO UPDATE SET pkcs12 = excluded.pkcs12, thumbprint = excluded.thumbprint, modified = excluded.modified",
                ("p", pkcs12!), ("thumbprint", (object?)thumbprint ?? DBNull.Value), ("now", Utc(now)));
        }
        else if (pkcs12 is null)
        {
            Execute(c, t, "DELETE FROM gateway_certificate_slots WHERE slot = @slot", ("slot", SlotName(slot)));
        }
        else
        {
            Execute(c, t,
                "INSERT INTO gateway_certificate_slots (slot, pkcs12, thumbprint, modified) VALUES (@slot, @p, @thumbprint, @now) " +
                "ON CONFLICT (slot) DO UPDATE SET pkcs12 = excluded.pkcs12, thumbprint = excluded.thumbprint, modified = excluded.modified",
                ("slot", SlotName(slot)), ("p", pkcs12), ("thumbprint", thumbprint!), ("now", Utc(now)));
        }
    }

    public Dictionary<CertificateSlot, string?> ReadCertificateThumbprints() => Query(c, t,
        "SELECT 'active', thumbprint FROM gateway_certificate WHERE id = 1 UNION ALL SELECT slot, thumbprint FROM gateway_certificate_slots",
        r => (Slot: ParseSlot(r.GetString(0)), Thumbprint: r.IsDBNull(1) ? null : r.GetString(1)))
        .ToDictionary(x => x.Slot, x => x.Thumbprint);

    public List<(string Tenant, string Thumbprint)> ReadCertificatePins() => Query(c, t,
        "SELECT n.name, p.thumbprint FROM tenant_certificate_pins p JOIN tenants n ON n.id = p.tenant_id",
        r => (r.GetString(0), r.GetString(1)));

    public void WriteCertificatePin(Guid tenant, string thumbprint, DateTimeOffset learned) => Execute(c, t,
        "INSERT INTO tenant_certificate_pins (tenant_id, thumbprint, learned) VALUES (@tenant, @thumbprint, @learned) " +
        "ON CONFLICT (tenant_id) DO UPDATE SET thumbprint = excluded.thumbprint, learned = excluded.learned",
        ("tenant", tenant), ("thumbprint", thumbprint), ("learned", Utc(learned)));

    private static string Name(ConfigurationTable table) => table switch
    {
        ConfigurationTable.Gateways => "gateways",
        ConfigurationTable.Pools => "pools",
        ConfigurationTable.Tenants => "tenants",
        _ => "resources",
    };

    private static string? KeyOrNull(string? name) => name is null ? null : Key(name);
}
