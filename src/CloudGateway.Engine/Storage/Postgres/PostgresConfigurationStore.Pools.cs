using CloudGateway.Model;
using Npgsql;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

public sealed partial class PostgresConfigurationStore
{
    /// <inheritdoc />
    public IReadOnlyList<GatewayPool> GetPools() => _database.Read((c, t) => ReadPools(c, t, null));

    /// <inheritdoc />
    public GatewayPool GetPool(string name) => _database.Read((c, t) => ReadPool(c, t, name));

    /// <inheritdoc />
    public GatewayPool AddPool(GatewayPool pool, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var now = Now;
        var stored = pool with { Created = now, Modified = now };
        Validate.Pool(stored);
        return _database.Write((c, t) =>
        {
            if (FindId(c, t, "pools", stored.Name) is not null)
            {
                throw Duplicate("pool", stored.Name);
            }

            var standaloneBefore = CountStandalone(c, t);
            Execute(c, t, "INSERT INTO pools (id, name, description, created, modified) VALUES (@id, @name, @description, @created, @modified)", PoolParameters(stored));
            AssignMembers(c, t, stored);
            GuardLastStandalone(c, t, standaloneBefore, force, stored.Name);
            return ReadPool(c, t, stored.Name);
        });
    }

    /// <inheritdoc />
    public GatewayPool UpdatePool(string name, Func<GatewayPool, GatewayPool> change, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _database.Write((c, t) =>
        {
            var current = ReadPool(c, t, name);
            var changed = change(current) with { Id = current.Id, Created = current.Created, Modified = Now };
            Validate.Pool(changed);
            if (FindId(c, t, "pools", changed.Name) is { } other && other != current.Id)
            {
                throw Duplicate("pool", changed.Name);
            }

            var standaloneBefore = CountStandalone(c, t);
            Execute(c, t, "UPDATE pools SET name = @name, description = @description, modified = @modified WHERE id = @id", PoolParameters(changed));
            Execute(c, t, "UPDATE gateways SET pool_id = NULL, pool_position = NULL WHERE pool_id = @id", ("id", current.Id));
            AssignMembers(c, t, changed);
            GuardLastStandalone(c, t, standaloneBefore, force, changed.Name);
            return ReadPool(c, t, changed.Name);
        });
    }

    /// <inheritdoc />
    public void RemovePool(string name, bool force = false) => _database.Write((c, t) =>
    {
        var id = FindId(c, t, "pools", name) ?? throw NotFound("pool", name);
        var users = Query(c, t, "SELECT tn.name FROM tenant_pools tp JOIN tenants tn ON tn.id = tp.tenant_id WHERE tp.pool_id = @id ORDER BY lower(tn.name)", r => r.GetString(0), ("id", id));
        if (users.Count > 0 && !force)
        {
            throw new GatewayException(GatewayErrorCode.PoolInUse, $"Pool '{name}' is assigned to tenant(s) {string.Join(", ", users)}; use -Force to remove it anyway.", name);
        }

        Execute(c, t, "DELETE FROM tenant_pools WHERE pool_id = @id", ("id", id));
        Execute(c, t,
            "UPDATE tenants SET gateway_selection = 'Standalone', modified = @now WHERE gateway_selection = 'Pools' AND NOT EXISTS (SELECT 1 FROM tenant_pools tp WHERE tp.tenant_id = tenants.id)",
            ("now", Utc(Now)));
        Execute(c, t, "UPDATE gateways SET pool_id = NULL, pool_position = NULL WHERE pool_id = @id", ("id", id));
        return Execute(c, t, "DELETE FROM pools WHERE id = @id", ("id", id));
    });

    private static void AssignMembers(NpgsqlConnection c, NpgsqlTransaction t, GatewayPool pool)
    {
        for (var position = 0; position < pool.Members.Count; position++)
        {
            var member = pool.Members[position];
            var owner = Query(c, t,
                "SELECT g.id, p.name FROM gateways g LEFT JOIN pools p ON p.id = g.pool_id WHERE lower(g.name) = lower(@n)",
                r => (Id: r.GetGuid(0), Pool: r.IsDBNull(1) ? null : r.GetString(1)),
                ("n", member)).SingleOrDefault();
            if (owner.Id == Guid.Empty)
            {
                throw NotFound("gateway", member);
            }

            if (owner.Pool is not null)
            {
                throw new GatewayException(GatewayErrorCode.GatewayInAnotherPool, $"Gateway '{member}' is already a member of pool '{owner.Pool}'.", member);
            }

            Execute(c, t, "UPDATE gateways SET pool_id = @pool, pool_position = @position WHERE id = @id",
                ("pool", pool.Id), ("position", position), ("id", owner.Id));
        }
    }

    private static long CountStandalone(NpgsqlConnection c, NpgsqlTransaction t) =>
        Scalar<long>(c, t, "SELECT count(*) FROM gateways WHERE pool_id IS NULL");

    /// <summary>Refuses a change that pooled the last standalone gateway while tenants still rely on standalone gateways.</summary>
    private static void GuardLastStandalone(NpgsqlConnection c, NpgsqlTransaction t, long standaloneBefore, bool force, string pool)
    {
        if (force || standaloneBefore == 0 || CountStandalone(c, t) > 0)
        {
            return;
        }

        var users = Query(c, t, "SELECT name FROM tenants WHERE gateway_selection = 'Standalone' ORDER BY lower(name)", r => r.GetString(0));
        if (users.Count > 0)
        {
            throw new GatewayException(
                GatewayErrorCode.LastStandaloneGateway,
                $"Pool '{pool}' would take the last standalone gateway while tenant(s) {string.Join(", ", users)} use standalone gateways; use -Force to do it anyway.",
                pool);
        }
    }

    private static GatewayPool ReadPool(NpgsqlConnection c, NpgsqlTransaction t, string name) =>
        ReadPools(c, t, name).SingleOrDefault() ?? throw NotFound("pool", name);

    private static List<GatewayPool> ReadPools(NpgsqlConnection c, NpgsqlTransaction t, string? name)
    {
        var members = Query(c, t,
            "SELECT pool_id, name FROM gateways WHERE pool_id IS NOT NULL ORDER BY pool_id, pool_position",
            r => (Pool: r.GetGuid(0), Gateway: r.GetString(1))).ToLookup(m => m.Pool, m => m.Gateway);
        return Query(c, t,
            "SELECT id, name, description, created, modified FROM pools WHERE @n::text IS NULL OR lower(name) = lower(@n) ORDER BY lower(name), name",
            r => new GatewayPool
            {
                Id = r.GetGuid(0),
                Name = r.GetString(1),
                Description = r.GetString(2),
                Members = members[r.GetGuid(0)].ToList(),
                Created = r.GetFieldValue<DateTimeOffset>(3),
                Modified = r.GetFieldValue<DateTimeOffset>(4),
            },
            ("n", name));
    }

    private static (string, object?)[] PoolParameters(GatewayPool p) =>
        [("id", p.Id), ("name", p.Name), ("description", p.Description), ("created", Utc(p.Created)), ("modified", Utc(p.Modified))];
}
