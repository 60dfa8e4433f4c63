using CloudGateway.Model;
using Npgsql;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

public sealed partial class PostgresConfigurationStore
{
    private const string GatewayColumns =
        "g.id, g.name, g.description, g.server, g.network_mode, g.address, g.port, g.listen_address, g.internal_port, g.enabled, p.name, g.created, g.modified";

    /// <inheritdoc />
    public IReadOnlyList<Gateway> GetGateways() => _database.Read((c, t) => ReadGateways(c, t, null));

    /// <inheritdoc />
    public Gateway GetGateway(string name) => _database.Read((c, t) => ReadGateway(c, t, name));

    /// <inheritdoc />
    public Gateway AddGateway(Gateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var now = Now;
        var stored = gateway with { Pool = null, Created = now, Modified = now };
        Validate.Gateway(stored);
        return _database.Write((c, t) =>
        {
            if (FindId(c, t, "gateways", stored.Name) is not null)
            {
                throw Duplicate("gateway", stored.Name);
            }

            Execute(c, t,
                "INSERT INTO gateways (id, name, description, server, network_mode, address, port, listen_address, internal_port, enabled, created, modified) " +
                "VALUES (@id, @name, @description, @server, @mode, @address, @port, @listen, @internal, @enabled, @created, @modified)",
                GatewayParameters(stored));
            return ReadGateway(c, t, stored.Name);
        });
    }

    /// <inheritdoc />
    public Gateway UpdateGateway(string name, Func<Gateway, Gateway> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _database.Write((c, t) =>
        {
            var current = ReadGateway(c, t, name);
            var changed = change(current) with { Id = current.Id, Pool = current.Pool, Created = current.Created, Modified = Now };
            Validate.Gateway(changed);
            if (FindId(c, t, "gateways", changed.Name) is { } other && other != current.Id)
            {
                throw Duplicate("gateway", changed.Name);
            }

            Execute(c, t,
                "UPDATE gateways SET name = @name, description = @description, server = @server, network_mode = @mode, address = @address, " +
                "port = @port, listen_address = @listen, internal_port = @internal, enabled = @enabled, modified = @modified WHERE id = @id",
                GatewayParameters(changed));
            return ReadGateway(c, t, changed.Name);
        });
    }

    /// <inheritdoc />
    public void RemoveGateway(string name) => _database.Write((c, t) =>
        Execute(c, t, "DELETE FROM gateways WHERE lower(name) = lower(@n)", ("n", name)) == 0 ? throw NotFound("gateway", name) : 0);

    private static Gateway ReadGateway(NpgsqlConnection c, NpgsqlTransaction t, string name) =>
        ReadGateways(c, t, name).SingleOrDefault() ?? throw NotFound("gateway", name);

    private static List<Gateway> ReadGateways(NpgsqlConnection c, NpgsqlTransaction t, string? name) => Query(c, t,
        $"SELECT {GatewayColumns} FROM gateways g LEFT JOIN pools p ON p.id = g.pool_id " +
        "WHERE @n::text IS NULL OR lower(g.name) = lower(@n) ORDER BY lower(g.name), g.name",
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
            Created = r.GetFieldValue<DateTimeOffset>(11),
            Modified = r.GetFieldValue<DateTimeOffset>(12),
        },
        ("n", name));

    private static (string, object?)[] GatewayParameters(Gateway g) =>
    [
        ("id", g.Id), ("name", g.Name), ("description", g.Description), ("server", g.Server), ("mode", g.NetworkMode.ToString()),
        ("address", g.Address), ("port", g.Port), ("listen", g.ListenAddress), ("internal", g.InternalPort), ("enabled", g.Enabled),
        ("created", Utc(g.Created)), ("modified", Utc(g.Modified)),
    ];
}
