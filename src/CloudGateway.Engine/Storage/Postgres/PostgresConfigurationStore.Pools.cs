using CloudGateway.Model;
using Npgsql;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

public sealed partial class PostgresConfigurationStore
{
    /// <inheritdoc />
    public IReadOnlyList<GatewayPool> GetPools() => _database.Read((c, t) => ReadPools(c, t, null));

    /// <inheritdoc />
    public GatewayPool GetPool(string name) => _database.Read((c, t) => PoolOrThrow(c, t, name));

    /// <inheritdoc />
    public GatewayPool AddPool(GatewayPool pool, bool force = false)
    {
        var now = _time.GetUtcNow();
        var checkedPool = GatewayPoolValidator.Check(pool) with { Created = now, Modified = now };
        return _database.Write((c, t) =>
        {
            EnsureNameFree(c, t, "pools", "gateway pool", checkedPool.Name, checkedPool.Id, isNew: true);
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
            EnsureNameFree(c, t, "pools", "gateway pool", updated.Name, updated.Id, isNew: false);
            CheckMembers(c, t, updated, force);
            UpsertPool(c, t, updated);
            return PoolOrThrow(c, t, updated.Name);
        });
    }

    /// <inheritdoc />
    public void RemovePool(string name, bool force = false) => _database.Write((c, t) =>
    {
        var pool = PoolOrThrow(c, t, name);
        var users = Query(c, t, "SELECT tn.name FROM tenant_pools tp JOIN tenants tn ON tn.id = tp.tenant_id WHERE tp.pool_id = @id ORDER BY tn.name_key", r => r.GetString(0), ("id", pool.Id));
        ConfigurationGuards.CheckPoolRemoval(pool.Name, users, force);
        Execute(c, t, "UPDATE tenants SET modified = @now WHERE id IN (SELECT tenant_id FROM tenant_pools WHERE pool_id = @id)", ("now", Utc(_time.GetUtcNow())), ("id", pool.Id));
        Execute(c, t, "DELETE FROM tenant_pools WHERE pool_id = @id", ("id", pool.Id));
        Execute(c, t, "UPDATE tenants SET gateway_selection = 'Standalone' WHERE gateway_selection = 'Pools' AND id NOT IN (SELECT tenant_id FROM tenant_pools)");
        Execute(c, t, "UPDATE gateways SET pool_id = NULL, pool_position = NULL WHERE pool_id = @id", ("id", pool.Id));
        return Execute(c, t, "DELETE FROM pools WHERE id = @id", ("id", pool.Id));
    });

    private static void CheckMembers(NpgsqlConnection c, NpgsqlTransaction t, GatewayPool pool, bool force) =>
        ConfigurationGuards.CheckPoolMembers(
            pool,
            ReadGateways(c, t, null),
            Query(c, t, "SELECT id, pool_id FROM gateways WHERE pool_id IS NOT NULL", r => (Gateway: r.GetGuid(0), Pool: r.GetGuid(1))).ToDictionary(m => m.Gateway, m => m.Pool),
            () => Query(c, t, "SELECT name FROM tenants WHERE gateway_selection = 'Standalone' ORDER BY name_key", r => r.GetString(0)),
            force);

    /// <summary>Writes the pool and makes its members exactly <see cref="GatewayPool.Members"/>, in order.</summary>
    private static void UpsertPool(NpgsqlConnection c, NpgsqlTransaction t, GatewayPool pool)
    {
        Execute(c, t,
            "INSERT INTO pools (id, name, name_key, description, created, modified) VALUES (@id, @name, @key, @description, @created, @modified) " +
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, description = excluded.description, modified = excluded.modified",
            ("id", pool.Id), ("name", pool.Name), ("key", Key(pool.Name)), ("description", pool.Description), ("created", Utc(pool.Created)), ("modified", Utc(pool.Modified)));
        Execute(c, t, "UPDATE gateways SET pool_id = NULL, pool_position = NULL WHERE pool_id = @id", ("id", pool.Id));
        for (var position = 0; position < pool.Members.Count; position++)
        {
            Execute(c, t, "UPDATE gateways SET pool_id = @pool, pool_position = @position WHERE name_key = @key",
                ("pool", pool.Id), ("position", position), ("key", Key(pool.Members[position])));
        }
    }

    private static GatewayPool PoolOrThrow(NpgsqlConnection c, NpgsqlTransaction t, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ReadPools(c, t, name).SingleOrDefault() ?? throw ConfigurationGuards.NotFound("gateway pool", name);
    }

    private static List<GatewayPool> ReadPools(NpgsqlConnection c, NpgsqlTransaction t, string? name)
    {
        var members = Query(c, t,
            "SELECT pool_id, name FROM gateways WHERE pool_id IS NOT NULL ORDER BY pool_id, pool_position",
            r => (Pool: r.GetGuid(0), Gateway: r.GetString(1))).ToLookup(m => m.Pool, m => m.Gateway);
        return Query(c, t,
            "SELECT id, name, description, created, modified FROM pools WHERE @key::text IS NULL OR name_key = @key ORDER BY name_key",
            r => new GatewayPool
            {
                Id = r.GetGuid(0),
                Name = r.GetString(1),
                Description = r.GetString(2),
                Members = members[r.GetGuid(0)].ToList(),
                Created = Time(r, 3),
                Modified = Time(r, 4),
            },
            ("key", name is null ? null : Key(name)));
    }
}
