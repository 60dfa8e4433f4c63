using CloudGateway.Model;
using Microsoft.Data.Sqlite;
using static CloudGateway.Storage.Sqlite.SqliteRows;
using static CloudGateway.Storage.Sqlite.SqliteRowWriter;

namespace CloudGateway.Storage.Sqlite;

/// <summary>
/// The configuration store on one SQLite file. Every change validates the whole object, enforces every guard and
/// is written in one <c>BEGIN IMMEDIATE</c> transaction that bumps the change counter; several processes may use
/// one file at once. The gateways' private key is encrypted under the key file <c>&lt;database&gt;.key</c> beside it.
/// </summary>
public sealed class SqliteConfigurationStore : IConfigurationStore
{
    private readonly SqliteDatabase _database;
    private readonly StoredCertificate _certificate;
    private readonly TimeProvider _time;

    private SqliteConfigurationStore(SqliteDatabase database, TimeProvider time)
    {
        _database = database;
        _certificate = StoredCertificate.BesideFile(database.Path);
        _time = time;
    }

    /// <inheritdoc />
    public string Location => _database.Path;

    /// <summary>The key file that encrypts the gateways' private key (and the providers' passwords).</summary>
    public string KeyPath => _certificate.KeyPath!;

    /// <summary>
    /// Opens (creating on first use) the database at <paramref name="path"/>; <paramref name="time"/> stamps Created and
    /// Modified. A certificate stored unencrypted by an earlier version is encrypted now.
    /// </summary>
    public static SqliteConfigurationStore Open(string path, TimeProvider? time = null)
    {
        var store = new SqliteConfigurationStore(SqliteDatabase.Open(path), time ?? TimeProvider.System);
        try
        {
            store.SealLegacyCertificate();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public long GetChangeCounter() => _database.GetChangeCounter();

    /// <summary>The schema version of the file.</summary>
    public int GetSchemaVersion() => _database.GetSchemaVersion();

    /// <inheritdoc />
    public IReadOnlyList<Gateway> GetGateways() => _database.Read(c => Gateways(c, null));

    /// <inheritdoc />
    public Gateway GetGateway(string name) => _database.Read(c => GatewayOrThrow(c, null, name));

    /// <inheritdoc />
    public Gateway AddGateway(Gateway gateway)
    {
        var now = _time.GetUtcNow();
        var checkedGateway = GatewayValidator.Check(gateway) with { Created = now, Modified = now, Pool = null };
        return _database.Write((c, t) =>
        {
            EnsureNameFree(c, t, "gateway", checkedGateway.Name, checkedGateway.Id, isNew: true);
            UpsertGateway(c, t, checkedGateway);
            return GatewayOrThrow(c, t, checkedGateway.Name);
        });
    }

    /// <inheritdoc />
    public Gateway UpdateGateway(string name, Func<Gateway, Gateway> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _database.Write((c, t) =>
        {
            var current = GatewayOrThrow(c, t, name);
            var updated = GatewayValidator.Check(change(current) with { Id = current.Id, Created = current.Created, Modified = _time.GetUtcNow(), Pool = current.Pool });
            EnsureNameFree(c, t, "gateway", updated.Name, updated.Id, isNew: false);
            UpsertGateway(c, t, updated);
            return GatewayOrThrow(c, t, updated.Name);
        });
    }

    /// <inheritdoc />
    public void RemoveGateway(string name) => _database.Write((c, t) =>
    {
        var gateway = GatewayOrThrow(c, t, name);
        c.Execute(t, "DELETE FROM gateway WHERE id = $id", ("$id", gateway.Id.ToString()));
    });

    /// <inheritdoc />
    public IReadOnlyList<GatewayPool> GetPools() => _database.Read(c => Pools(c, null));

    /// <inheritdoc />
    public GatewayPool GetPool(string name) => _database.Read(c => PoolOrThrow(c, null, name));

    /// <inheritdoc />
    public GatewayPool AddPool(GatewayPool pool, bool force = false)
    {
        var now = _time.GetUtcNow();
        var checkedPool = GatewayPoolValidator.Check(pool) with { Created = now, Modified = now };
        return _database.Write((c, t) =>
        {
            EnsureNameFree(c, t, "gateway pool", checkedPool.Name, checkedPool.Id, isNew: true);
            CheckMembers(c, t, checkedPool, force);
            UpsertPool(c, t, checkedPool);
            return PoolOrThrow(c, t, checkedPool.Name);
        });
    }

    /// <inheritdoc />
    public GatewayPool UpdatePool(string name, Func<GatewayPool, GatewayPool> change, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _database.Write((c, t) =>
        {
            var current = PoolOrThrow(c, t, name);
            var updated = GatewayPoolValidator.Check(change(current) with { Id = current.Id, Created = current.Created, Modified = _time.GetUtcNow() });
            EnsureNameFree(c, t, "gateway pool", updated.Name, updated.Id, isNew: false);
            CheckMembers(c, t, updated, force);
            UpsertPool(c, t, updated);
            return PoolOrThrow(c, t, updated.Name);
        });
    }

    /// <inheritdoc />
    public void RemovePool(string name, bool force = false) => _database.Write((c, t) =>
    {
        var pool = PoolOrThrow(c, t, name);
        var id = pool.Id.ToString();
        var users = c.Query(t, "SELECT t.name FROM tenant_pool tp JOIN tenant t ON t.id = tp.tenant_id WHERE tp.pool_id = $id ORDER BY t.name_key", r => r.GetString(0), ("$id", id));
        ConfigurationGuards.CheckPoolRemoval(pool.Name, users, force);

        var now = Ticks(_time.GetUtcNow());
        c.Execute(t, "UPDATE tenant SET modified = $now WHERE id IN (SELECT tenant_id FROM tenant_pool WHERE pool_id = $id)", ("$now", now), ("$id", id));
        c.Execute(t, "DELETE FROM tenant_pool WHERE pool_id = $id", ("$id", id));
        c.Execute(t, "UPDATE tenant SET gateway_selection = 'Standalone' WHERE gateway_selection = 'Pools' AND id NOT IN (SELECT tenant_id FROM tenant_pool)");
        c.Execute(t, "DELETE FROM gateway_pool WHERE id = $id", ("$id", id));
    });

    /// <inheritdoc />
    public IReadOnlyList<Tenant> GetTenants() => _database.Read(c => Tenants(c, null).Select(x => x.Tenant).ToList());

    /// <inheritdoc />
    public Tenant GetTenant(string name) => _database.Read(c => TenantOrThrow(c, null, name).Tenant);

    /// <inheritdoc />
    public Tenant AddTenant(Tenant tenant, string passwordHash)
    {
        CheckPasswordHash(passwordHash, tenant?.Name);
        var now = _time.GetUtcNow();
        var checkedTenant = TenantValidator.Check(tenant!) with { Created = now, Modified = now, FailedLogonCount = 0, LastFailedLogon = null, LockedUntil = null };
        return _database.Write((c, t) =>
        {
            EnsureNameFree(c, t, "tenant", checkedTenant.Name, checkedTenant.Id, isNew: true);
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
            EnsureNameFree(c, t, "tenant", updated.Name, updated.Id, isNew: false);
            CheckTenantPools(c, t, updated);
            UpsertTenant(c, t, updated, hash);
            return TenantOrThrow(c, t, updated.Name).Tenant;
        });
    }

    /// <inheritdoc />
    public void SetTenantPassword(string name, string passwordHash)
    {
        CheckPasswordHash(passwordHash, name);
        _database.Write((c, t) =>
        {
            var (tenant, _) = TenantOrThrow(c, t, name);
            c.Execute(t, "UPDATE tenant SET password_hash = $hash, modified = $now WHERE id = $id", ("$hash", passwordHash), ("$now", Ticks(_time.GetUtcNow())), ("$id", tenant.Id.ToString()));
        });
    }

    /// <inheritdoc />
    public void RemoveTenant(string name) => _database.Write((c, t) =>
    {
        var (tenant, _) = TenantOrThrow(c, t, name);
        c.Execute(t, "DELETE FROM tenant WHERE id = $id", ("$id", tenant.Id.ToString()));
    });

    /// <inheritdoc />
    public Tenant RecordFailedLogon(string name, DateTimeOffset at, LockoutPolicy policy, int sources)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return _database.Write((c, t) =>
        {
            var (tenant, _) = TenantOrThrow(c, t, name);
            var (count, lockedUntil) = ConfigurationGuards.FailedLogon(tenant, at, policy, sources);
            c.Execute(t, "UPDATE tenant SET failed_logon_count = $count, last_failed_logon = $at, locked_until = $locked WHERE id = $id",
                ("$count", count), ("$at", Ticks(at)), ("$locked", Ticks(lockedUntil)), ("$id", tenant.Id.ToString()));
            return TenantOrThrow(c, t, tenant.Name).Tenant;
        });
    }

    /// <inheritdoc />
    public Tenant ResetFailedLogons(string name) => _database.Write((c, t) =>
    {
        var (tenant, _) = TenantOrThrow(c, t, name);
        c.Execute(t, "UPDATE tenant SET failed_logon_count = 0, last_failed_logon = NULL, locked_until = NULL WHERE id = $id", ("$id", tenant.Id.ToString()));
        return TenantOrThrow(c, t, tenant.Name).Tenant;
    });

    /// <inheritdoc />
    public void ForgiveFailedLogons(string name) => _database.Write((c, t) =>
    {
        var (tenant, _) = TenantOrThrow(c, t, name);
        c.Execute(t, "UPDATE tenant SET failed_logon_count = 0 WHERE id = $id", ("$id", tenant.Id.ToString()));
    });

    /// <inheritdoc />
    public IReadOnlyList<TenantResource> GetResources(string? tenant = null) => _database.Read(c =>
    {
        if (tenant is not null)
        {
            TenantOrThrow(c, null, tenant);
        }

        return Resources(c, null, tenant);
    });

    /// <inheritdoc />
    public TenantResource GetResource(string tenant, string name) => _database.Read(c => ResourceOrThrow(c, null, tenant, name));

    /// <inheritdoc />
    public TenantResource AddResource(TenantResource resource)
    {
        var now = _time.GetUtcNow();
        var checkedResource = TenantResourceValidator.Check(resource) with { Created = now, Modified = now };
        return _database.Write((c, t) =>
        {
            var (tenant, _) = TenantOrThrow(c, t, checkedResource.Tenant);
            EnsureResourceNameFree(c, t, tenant.Name, checkedResource.Name, checkedResource.Id, isNew: true);
            UpsertResource(c, t, checkedResource);
            return ResourceOrThrow(c, t, tenant.Name, checkedResource.Name);
        });
    }

    /// <inheritdoc />
    public TenantResource UpdateResource(string tenant, string name, Func<TenantResource, TenantResource> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _database.Write((c, t) =>
        {
            var current = ResourceOrThrow(c, t, tenant, name);
            var updated = TenantResourceValidator.Check(change(current) with { Id = current.Id, Tenant = current.Tenant, Created = current.Created, Modified = _time.GetUtcNow() });
            EnsureResourceNameFree(c, t, current.Tenant, updated.Name, updated.Id, isNew: false);
            UpsertResource(c, t, updated);
            return ResourceOrThrow(c, t, updated.Tenant, updated.Name);
        });
    }

    /// <inheritdoc />
    public void RemoveResource(string tenant, string name) => _database.Write((c, t) =>
    {
        var resource = ResourceOrThrow(c, t, tenant, name);
        c.Execute(t, "DELETE FROM tenant_resource WHERE id = $id", ("$id", resource.Id.ToString()));
    });

    /// <inheritdoc />
    public byte[]? GetGatewayCertificate() => _database.Read(c => StoredPkcs12(c, null)) is { } stored ? _certificate.Open(stored) : null;

    /// <inheritdoc />
    public void SetGatewayCertificate(byte[] pkcs12)
    {
        ArgumentNullException.ThrowIfNull(pkcs12);
        if (pkcs12.Length == 0)
        {
            throw new GatewayException(GatewayErrorCode.CertificateError, "The gateways' certificate must not be empty.");
        }

        var sealedPkcs12 = _certificate.Seal(pkcs12);
        _database.Write((c, t) => c.Execute(t, """
            INSERT INTO gateway_certificate (id, pkcs12, modified) VALUES (1, $pkcs12, $now)
            ON CONFLICT (id) DO UPDATE SET pkcs12 = $pkcs12, modified = $now
            """, ("$pkcs12", sealedPkcs12), ("$now", Ticks(_time.GetUtcNow()))));
    }

    /// <inheritdoc />
    public ConfigurationSnapshot ReadSnapshot() => _database.Read(c => Snapshot(c, null));

    /// <inheritdoc />
    public ConfigurationDocument ReplaceConfiguration(Func<ConfigurationDocument, ConfigurationDocument> change, IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _database.Write((c, t) =>
        {
            var next = ConfigurationDocumentValidator.Check(change(ConfigurationDocument.FromSnapshot(Snapshot(c, t))));
            var now = _time.GetUtcNow();
            var written = new EntityProgress(progress, next, "written");
            RemoveAllExcept(c, t, next);
            foreach (var gateway in next.Gateways)
            {
                UpsertGateway(c, t, Stamp(gateway, gateway.Created, gateway.Modified, now, (g, created, modified) => g with { Created = created, Modified = modified }));
                written.Done("gateway " + gateway.Name);
            }

            foreach (var pool in next.Pools)
            {
                UpsertPool(c, t, Stamp(pool, pool.Created, pool.Modified, now, (p, created, modified) => p with { Created = created, Modified = modified }));
                written.Done("pool " + pool.Name);
            }

            foreach (var (tenant, hash) in next.Tenants)
            {
                UpsertTenant(c, t, Stamp(tenant, tenant.Created, tenant.Modified, now, (x, created, modified) => x with { Created = created, Modified = modified }), hash);
                written.Done("tenant " + tenant.Name);
            }

            foreach (var resource in next.Resources)
            {
                UpsertResource(c, t, Stamp(resource, resource.Created, resource.Modified, now, (r, created, modified) => r with { Created = created, Modified = modified }));
                written.Done($"resource {resource.Tenant}/{resource.Name}");
            }

            return ConfigurationDocument.FromSnapshot(Snapshot(c, t));
        });
    }

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();

    private static byte[]? StoredPkcs12(SqliteConnection c, SqliteTransaction? t) => c.Scalar(t, "SELECT pkcs12 FROM gateway_certificate WHERE id = 1") as byte[];

    // A read first, so that only a database still holding a bare certificate is written to when opened.
    private void SealLegacyCertificate()
    {
        if (_database.Read(c => StoredPkcs12(c, null)) is not { } stored || !_certificate.NeedsSealing(stored))
        {
            return;
        }

        _database.Write((c, t) =>
        {
            if (StoredPkcs12(c, t) is { } current && _certificate.NeedsSealing(current))
            {
                c.Execute(t, "UPDATE gateway_certificate SET pkcs12 = $pkcs12 WHERE id = 1", ("$pkcs12", _certificate.Seal(current)));
            }
        });
    }

    /// <summary>
    /// Deletes the objects <paramref name="next"/> does not hold and frees every remaining name, so the upserts that
    /// follow can swap names freely. Objects that stay keep their rows (and whatever other tables link to them).
    /// </summary>
    private static void RemoveAllExcept(SqliteConnection c, SqliteTransaction t, ConfigurationDocument next)
    {
        c.Execute(t, "DELETE FROM tenant_pool");
        c.Execute(t, "DELETE FROM pool_member");
        var kept = new (string Table, IEnumerable<Guid> Ids)[]
        {
            ("tenant_resource", next.Resources.Select(r => r.Id)),
            ("tenant", next.Tenants.Select(x => x.Tenant.Id)),
            ("gateway_pool", next.Pools.Select(p => p.Id)),
            ("gateway", next.Gateways.Select(g => g.Id)),
        };
        foreach (var (table, ids) in kept)
        {
            var keep = ids.Select(id => id.ToString()).ToHashSet();
            foreach (var id in c.Query(t, $"SELECT id FROM {table}", r => r.GetString(0)).Where(id => !keep.Contains(id)))
            {
                c.Execute(t, $"DELETE FROM {table} WHERE id = $id", ("$id", id));
            }

            c.Execute(t, $"UPDATE {table} SET name_key = '#' || id");
        }
    }

    private static T Stamp<T>(T item, DateTimeOffset created, DateTimeOffset modified, DateTimeOffset now, Func<T, DateTimeOffset, DateTimeOffset, T> with) =>
        with(item, created == default ? now : created, modified == default ? now : modified);

    private static ConfigurationSnapshot Snapshot(SqliteConnection c, SqliteTransaction? t) =>
        new(ChangeCounter(c, t), Gateways(c, t), Pools(c, t), Tenants(c, t), Resources(c, t));

    private static Gateway GatewayOrThrow(SqliteConnection c, SqliteTransaction? t, string name) =>
        Gateways(c, t, Required(name)).SingleOrDefault() ?? throw NotFound("gateway", name);

    private static GatewayPool PoolOrThrow(SqliteConnection c, SqliteTransaction? t, string name) =>
        Pools(c, t, Required(name)).SingleOrDefault() ?? throw NotFound("gateway pool", name);

    private static TenantCredential TenantOrThrow(SqliteConnection c, SqliteTransaction? t, string name) =>
        Tenants(c, t, Required(name)).SingleOrDefault() ?? throw NotFound("tenant", name);

    private static TenantResource ResourceOrThrow(SqliteConnection c, SqliteTransaction? t, string tenant, string name)
    {
        var owner = TenantOrThrow(c, t, tenant).Tenant;
        return Resources(c, t, owner.Name, Required(name)).SingleOrDefault()
            ?? throw new GatewayException(GatewayErrorCode.NotFound, $"The tenant '{owner.Name}' has no resource named '{name}'.", name);
    }

    private static string Required(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name;
    }

    private static GatewayException NotFound(string kind, string name) => ConfigurationGuards.NotFound(kind, name);

    private static void EnsureNameFree(SqliteConnection c, SqliteTransaction t, string kind, string name, Guid id, bool isNew)
    {
        var table = kind switch { "gateway" => "gateway", "gateway pool" => "gateway_pool", _ => "tenant" };
        var owner = c.Scalar(t, $"SELECT name FROM {table} WHERE name_key = $key AND id <> $id", ("$key", Key(name)), ("$id", id.ToString())) as string;
        if (owner is not null)
        {
            throw new GatewayException(GatewayErrorCode.DuplicateName, $"A {kind} named '{owner}' already exists (names are compared without regard to case).", name);
        }

        if (isNew && Count(c, t, $"SELECT count(*) FROM {table} WHERE id = $id", ("$id", id.ToString())) > 0)
        {
            throw new GatewayException(GatewayErrorCode.DuplicateName, $"Another {kind} already has the id {id}.", name);
        }

        var current = isNew ? null : c.Scalar(t, $"SELECT name FROM {table} WHERE id = $id", ("$id", id.ToString())) as string;
        ConfigurationGuards.CheckNotLookalike(kind, name, current, c.Query(t, $"SELECT name FROM {table} WHERE id <> $id", r => r.GetString(0), ("$id", id.ToString())));
    }

    private static void EnsureResourceNameFree(SqliteConnection c, SqliteTransaction t, string tenant, string name, Guid id, bool isNew)
    {
        var owner = c.Scalar(t, "SELECT r.name FROM tenant_resource r JOIN tenant t ON t.id = r.tenant_id WHERE t.name_key = $tenant AND r.name_key = $key AND r.id <> $id",
            ("$tenant", Key(tenant)), ("$key", Key(name)), ("$id", id.ToString())) as string;
        if (owner is not null)
        {
            throw new GatewayException(GatewayErrorCode.DuplicateName, $"The tenant '{tenant}' already has a resource named '{owner}'.", name);
        }

        if (isNew && Count(c, t, "SELECT count(*) FROM tenant_resource WHERE id = $id", ("$id", id.ToString())) > 0)
        {
            throw new GatewayException(GatewayErrorCode.DuplicateName, $"Another resource already has the id {id}.", name);
        }

        var current = isNew ? null : c.Scalar(t, "SELECT name FROM tenant_resource WHERE id = $id", ("$id", id.ToString())) as string;
        var others = c.Query(t, "SELECT r.name FROM tenant_resource r JOIN tenant t ON t.id = r.tenant_id WHERE t.name_key = $tenant AND r.id <> $id", r => r.GetString(0), ("$tenant", Key(tenant)), ("$id", id.ToString()));
        ConfigurationGuards.CheckNotLookalike("resource", name, current, others, $" for the tenant '{tenant}'");
    }

    /// <summary>Every member must exist and belong to no other pool; the last standalone gateway may be pooled only with force.</summary>
    private static void CheckMembers(SqliteConnection c, SqliteTransaction t, GatewayPool pool, bool force) =>
        ConfigurationGuards.CheckPoolMembers(
            pool,
            Gateways(c, t),
            c.Query(t, "SELECT gateway_id, pool_id FROM pool_member", r => (Gateway: Guid.Parse(r.GetString(0)), Pool: Guid.Parse(r.GetString(1)))).ToDictionary(m => m.Gateway, m => m.Pool),
            () => c.Query(t, "SELECT name FROM tenant WHERE gateway_selection = 'Standalone' ORDER BY name_key", r => r.GetString(0)),
            force);

    private static void CheckTenantPools(SqliteConnection c, SqliteTransaction t, Tenant tenant) =>
        ConfigurationGuards.CheckTenantPools(tenant, pool => Count(c, t, "SELECT count(*) FROM gateway_pool WHERE name_key = $key", ("$key", Key(pool))) > 0);

    private static void CheckPasswordHash(string passwordHash, string? tenant) => ConfigurationGuards.CheckPasswordHash(passwordHash, tenant);
}
