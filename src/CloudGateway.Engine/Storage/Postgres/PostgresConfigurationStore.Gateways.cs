using CloudGateway.Model;
using Npgsql;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

public sealed partial class PostgresConfigurationStore
{
    /// <inheritdoc />
    public IReadOnlyList<Gateway> GetGateways() => _database.Read((c, t) => ReadGateways(c, t, null));

    /// <inheritdoc />
    public Gateway GetGateway(string name) => _database.Read((c, t) => GatewayOrThrow(c, t, name));

    /// <inheritdoc />
    public Gateway AddGateway(Gateway gateway)
    {
        var now = _time.GetUtcNow();
        var checkedGateway = GatewayValidator.Check(gateway) with { Created = now, Modified = now, Pool = null };
        return _database.Write((c, t) =>
        {
            EnsureNameFree(c, t, "gateways", "gateway", checkedGateway.Name, checkedGateway.Id, isNew: true);
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
            EnsureNameFree(c, t, "gateways", "gateway", updated.Name, updated.Id, isNew: false);
            UpsertGateway(c, t, updated);
            return GatewayOrThrow(c, t, updated.Name);
        });
    }

    /// <inheritdoc />
    public void RemoveGateway(string name) => _database.Write((c, t) =>
        Execute(c, t, "DELETE FROM gateways WHERE id = @id", ("id", GatewayOrThrow(c, t, name).Id)));

    private static Gateway GatewayOrThrow(NpgsqlConnection c, NpgsqlTransaction t, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ReadGateways(c, t, name).SingleOrDefault() ?? throw ConfigurationGuards.NotFound("gateway", name);
    }

    private static List<Gateway> ReadGateways(NpgsqlConnection c, NpgsqlTransaction t, string? name) => Query(c, t,
        "SELECT g.id, g.name, g.description, g.server, g.network_mode, g.address, g.port, g.listen_address, g.internal_port, g.enabled, p.name, g.created, g.modified " +
        "FROM gateways g LEFT JOIN pools p ON p.id = g.pool_id WHERE @key::text IS NULL OR g.name_key = @key ORDER BY g.name_key",
        r => new Gateway
        {
            Id = r.GetGuid(0),
            Name = r.GetString(1),
            Description = r.GetString(2),
            Server = r.GetString(3),
            NetworkMode = Enum.Parse<NetworkMode>(r.GetString(4)),
            Address = r.GetString(5),
            Port = r.GetInt32(6),
            ListenAddress = r.IsDBNull(7) ? null : r.GetString(7),
            InternalPort = r.GetInt32(8),
            Enabled = r.GetBoolean(9),
            Pool = r.IsDBNull(10) ? null : r.GetString(10),
            Created = Time(r, 11),
            Modified = Time(r, 12),
        },
        ("key", name is null ? null : Key(name)));

    private static void UpsertGateway(NpgsqlConnection c, NpgsqlTransaction t, Gateway g) => Execute(c, t,
        "INSERT INTO gateways (id, name, name_key, description, server, network_mode, address, port, listen_address, internal_port, enabled, created, modified) " +
        "VALUES (@id, @name, @key, @description, @server, @mode, @address, @port, @listen, @internal, @enabled, @created, @modified) " +
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, description = excluded.description, server = excluded.server, " +
        "network_mode = excluded.network_mode, address = excluded.address, port = excluded.port, listen_address = excluded.listen_address, " +
        "internal_port = excluded.internal_port, enabled = excluded.enabled, modified = excluded.modified",
        ("id", g.Id), ("name", g.Name), ("key", Key(g.Name)), ("description", g.Description), ("server", g.Server), ("mode", g.NetworkMode.ToString()),
        ("address", g.Address), ("port", g.Port), ("listen", g.ListenAddress), ("internal", g.InternalPort), ("enabled", g.Enabled),
        ("created", Utc(g.Created)), ("modified", Utc(g.Modified)));
}
