using CloudGateway.Model;
using Microsoft.Data.Sqlite;
using static CloudGateway.Storage.Sqlite.SqliteRows;

namespace CloudGateway.Storage.Sqlite;

/// <summary>Writes model records into the configuration tables inside the caller's transaction; checks nothing.</summary>
internal static class SqliteRowWriter
{
    public static void UpsertGateway(SqliteConnection c, SqliteTransaction? t, Gateway g) => c.Execute(t, """
        INSERT INTO gateways (id, name, name_key, description, server, network_mode, address, port, listen_address, internal_port, enabled, created, modified)
        VALUES ($id, $name, $key, $description, $server, $mode, $address, $port, $listen, $internal, $enabled, $created, $modified)
        ON CONFLICT (id) DO UPDATE SET name = $name, name_key = $key, description = $description, server = $server, network_mode = $mode,
            address = $address, port = $port, listen_address = $listen, internal_port = $internal, enabled = $enabled, created = $created, modified = $modified
        """,
        ("$id", g.Id.ToString()), ("$name", g.Name), ("$key", Key(g.Name)), ("$description", g.Description), ("$server", g.Server),
        ("$mode", g.NetworkMode.ToString()), ("$address", g.Address), ("$port", g.Port), ("$listen", g.ListenAddress),
        ("$internal", g.InternalPort), ("$enabled", g.Enabled), ("$created", Ticks(g.Created)), ("$modified", Ticks(g.Modified)));

    public static void UpsertPool(SqliteConnection c, SqliteTransaction? t, GatewayPool p)
    {
        c.Execute(t, """
            INSERT INTO pools (id, name, name_key, description, created, modified) VALUES ($id, $name, $key, $description, $created, $modified)
            ON CONFLICT (id) DO UPDATE SET name = $name, name_key = $key, description = $description, created = $created, modified = $modified
            """,
            ("$id", p.Id.ToString()), ("$name", p.Name), ("$key", Key(p.Name)), ("$description", p.Description), ("$created", Ticks(p.Created)), ("$modified", Ticks(p.Modified)));
        c.Execute(t, "UPDATE gateways SET pool_id = NULL, pool_position = NULL WHERE pool_id = $id", ("$id", p.Id.ToString()));
        for (var i = 0; i < p.Members.Count; i++)
        {
            c.Execute(t, "UPDATE gateways SET pool_id = $pool, pool_position = $position WHERE name_key = $key",
                ("$pool", p.Id.ToString()), ("$position", i), ("$key", Key(p.Members[i])));
        }
    }

    public static void UpsertTenant(SqliteConnection c, SqliteTransaction? t, Tenant x, string passwordHash)
    {
        c.Execute(t, """
            INSERT INTO tenants (id, name, name_key, description, enabled, lease_expiration, password_hash, gateway_selection, gateway_failover,
                max_concurrent_sessions, upload_bandwidth, download_bandwidth, failed_logon_count, last_failed_logon, locked_until, created, modified)
            VALUES ($id, $name, $key, $description, $enabled, $lease, $hash, $selection, $failover, $sessions, $upload, $download, $failed, $lastFailed, $locked, $created, $modified)
            ON CONFLICT (id) DO UPDATE SET name = $name, name_key = $key, description = $description, enabled = $enabled, lease_expiration = $lease,
                password_hash = $hash, gateway_selection = $selection, gateway_failover = $failover, max_concurrent_sessions = $sessions,
                upload_bandwidth = $upload, download_bandwidth = $download, failed_logon_count = $failed, last_failed_logon = $lastFailed,
                locked_until = $locked, created = $created, modified = $modified
            """,
            ("$id", x.Id.ToString()), ("$name", x.Name), ("$key", Key(x.Name)), ("$description", x.Description), ("$enabled", x.Enabled),
            ("$lease", Ticks(x.LeaseExpiration)), ("$hash", passwordHash), ("$selection", x.GatewaySelection.ToString()), ("$failover", x.GatewayFailover),
            ("$sessions", x.MaxConcurrentSessions), ("$upload", x.UploadBandwidth), ("$download", x.DownloadBandwidth), ("$failed", x.FailedLogonCount),
            ("$lastFailed", Ticks(x.LastFailedLogon)), ("$locked", Ticks(x.LockedUntil)), ("$created", Ticks(x.Created)), ("$modified", Ticks(x.Modified)));
        c.Execute(t, "DELETE FROM tenant_pools WHERE tenant_id = $id", ("$id", x.Id.ToString()));
        for (var i = 0; i < x.Pools.Count; i++)
        {
            c.Execute(t, "INSERT INTO tenant_pools (tenant_id, pool_id, position) SELECT $tenant, id, $position FROM pools WHERE name_key = $key",
                ("$tenant", x.Id.ToString()), ("$position", i), ("$key", Key(x.Pools[i])));
        }
    }

    public static void UpsertResource(SqliteConnection c, SqliteTransaction? t, TenantResource r) => c.Execute(t, """
        INSERT INTO resources (id, tenant_id, name, name_key, target_host, target_port, description, created, modified)
        SELECT $id, id, $name, $key, $host, $port, $description, $created, $modified FROM tenants WHERE name_key = $tenant
        ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id, name = $name, name_key = $key, target_host = $host, target_port = $port,
            description = $description, created = $created, modified = $modified
        """,
        ("$id", r.Id.ToString()), ("$tenant", Key(r.Tenant)), ("$name", r.Name), ("$key", Key(r.Name)), ("$host", r.TargetHost),
        ("$port", r.TargetPort), ("$description", r.Description), ("$created", Ticks(r.Created)), ("$modified", Ticks(r.Modified)));
}
