using System.Net;
using CloudGateway.Networking;
using Microsoft.Data.Sqlite;

namespace CloudGateway.Storage.Sqlite;

/// <summary>
/// The network extension tables of a SQLite configuration database (migration 0003): hardware plans, each
/// tenant's plan and routing option, and default gateways. Every change validates first and runs in one
/// <c>BEGIN IMMEDIATE</c> transaction of <see cref="SqliteDatabase"/>, so a refused change writes nothing.
/// </summary>
internal sealed class SqliteNetworkExtensionStore(SqliteDatabase database, TimeProvider timeProvider) : INetworkExtensionStore
{
    private const string PlanColumns = "id, name, description";
    private const string GatewayColumns =
        "t.name, g.network, g.ipv4_address, g.ipv4_subnet_mask, g.ipv6_network, g.ipv6_prefix_length, g.ipv6_address";

    public IReadOnlyList<HardwarePlan> GetHardwarePlans() => database.Read(connection =>
        connection.Query(null, $"SELECT {PlanColumns} FROM hardware_plan ORDER BY name_key", ReadPlanRow)
            .Select(plan => WithNetworks(connection, null, plan)).ToList());

    public HardwarePlan GetHardwarePlan(string name) => database.Read(connection => FindPlan(connection, null, name));

    public HardwarePlan AddHardwarePlan(HardwarePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        NetworkExtensionGuards.CheckNewPlan(plan);
        return database.Write((connection, transaction) =>
        {
            if (connection.Scalar(transaction, "SELECT 1 FROM hardware_plan WHERE name_key = $key", ("$key", Key(plan.Name))) is not null)
            {
                throw NetworkExtensionGuards.DuplicatePlan(plan.Name);
            }

            var now = Ticks();
            connection.Execute(transaction,
                "INSERT INTO hardware_plan (id, name, name_key, description, created, modified) VALUES ($id, $name, $key, $description, $now, $now)",
                ("$id", plan.Id.ToString()), ("$name", plan.Name), ("$key", Key(plan.Name)), ("$description", plan.Description), ("$now", now));
            InsertNetworks(connection, transaction, plan);
            return FindPlan(connection, transaction, plan.Name);
        });
    }

    public HardwarePlan UpdateHardwarePlan(string name, Func<HardwarePlan, HardwarePlan> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return database.Write((connection, transaction) =>
        {
            var current = FindPlan(connection, transaction, name);
            var changed = change(current) with { Id = current.Id };
            if (!string.Equals(Key(changed.Name), Key(current.Name), StringComparison.Ordinal)
                && connection.Scalar(transaction, "SELECT 1 FROM hardware_plan WHERE name_key = $key", ("$key", Key(changed.Name))) is not null)
            {
                throw NetworkExtensionGuards.DuplicatePlan(changed.Name);
            }

            NetworkExtensionGuards.CheckChangedPlan(current, changed, GatewaysOfPlan(connection, transaction, current.Id));
            connection.Execute(transaction,
                "UPDATE hardware_plan SET name = $name, name_key = $key, description = $description, modified = $now WHERE id = $id",
                ("$id", current.Id.ToString()), ("$name", changed.Name), ("$key", Key(changed.Name)), ("$description", changed.Description), ("$now", Ticks()));
            connection.Execute(transaction, "DELETE FROM hardware_plan_network WHERE plan_id = $id", ("$id", current.Id.ToString()));
            InsertNetworks(connection, transaction, changed);
            return FindPlan(connection, transaction, changed.Name);
        });
    }

    public void RemoveHardwarePlan(string name, bool force = false) => database.Write((connection, transaction) =>
    {
        var plan = FindPlan(connection, transaction, name);
        var subscribers = connection.Query(transaction,
            "SELECT t.name FROM tenant_network_extension x JOIN tenant t ON t.id = x.tenant_id WHERE x.plan_id = $id ORDER BY t.name_key",
            reader => reader.GetString(0), ("$id", plan.Id.ToString()));
        NetworkExtensionGuards.CheckPlanRemoval(plan, subscribers, force);
        connection.Execute(transaction, "UPDATE tenant_network_extension SET plan_id = NULL WHERE plan_id = $id", ("$id", plan.Id.ToString()));
        connection.Execute(transaction, "DELETE FROM hardware_plan WHERE id = $id", ("$id", plan.Id.ToString()));
    });

    public IReadOnlyList<DefaultGatewayConfiguration> GetConfigurations() => database.Read(connection =>
        connection.Query(null,
            "SELECT t.name, p.name, x.route_between_networks FROM tenant t LEFT JOIN tenant_network_extension x ON x.tenant_id = t.id " +
            "LEFT JOIN hardware_plan p ON p.id = x.plan_id ORDER BY t.name_key",
            ReadConfigurationRow));

    public DefaultGatewayConfiguration GetConfiguration(string tenant) => database.Read(connection => FindConfiguration(connection, null, tenant));

    public DefaultGatewayConfiguration UpdateConfiguration(string tenant, Func<DefaultGatewayConfiguration, DefaultGatewayConfiguration> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return database.Write((connection, transaction) =>
        {
            var current = FindConfiguration(connection, transaction, tenant);
            var changed = change(current) with { Tenant = current.Tenant };
            var tenantId = TenantId(connection, transaction, tenant);
            var plan = changed.HardwarePlan is null ? null : FindPlan(connection, transaction, changed.HardwarePlan, "HardwarePlan");
            NetworkExtensionGuards.CheckConfiguration(current, changed, plan, ReadGateways(connection, transaction, tenant, null));
            connection.Execute(transaction,
                "INSERT INTO tenant_network_extension (tenant_id, plan_id, route_between_networks) VALUES ($tenant, $plan, $route) " +
                "ON CONFLICT (tenant_id) DO UPDATE SET plan_id = excluded.plan_id, route_between_networks = excluded.route_between_networks",
                ("$tenant", tenantId), ("$plan", plan?.Id.ToString()), ("$route", changed.RouteBetweenNetworks ? 1 : 0));
            return FindConfiguration(connection, transaction, tenant);
        });
    }

    public IReadOnlyList<DefaultGateway> GetDefaultGateways(string? tenant = null, string? network = null) => database.Read(connection =>
    {
        if (tenant is not null)
        {
            TenantId(connection, null, tenant);
        }

        return ReadGateways(connection, null, tenant, network);
    });

    public DefaultGateway SetDefaultGateway(DefaultGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        NetworkExtensionGuards.CheckGatewayFields(gateway);
        return database.Write((connection, transaction) =>
        {
            var tenantId = TenantId(connection, transaction, gateway.Tenant);
            var configuration = FindConfiguration(connection, transaction, gateway.Tenant);
            var plan = configuration.HardwarePlan is null ? null : FindPlan(connection, transaction, configuration.HardwarePlan);
            var stored = NetworkExtensionGuards.CheckGateway(gateway, configuration, plan, ReadGateways(connection, transaction, configuration.Tenant, null));
            connection.Execute(transaction,
                "INSERT INTO default_gateway (tenant_id, network, network_key, ipv4_address, ipv4_subnet_mask, ipv6_network, ipv6_prefix_length, ipv6_address) " +
                "VALUES ($tenant, $network, $key, $v4, $mask, $v6network, $prefix, $v6) ON CONFLICT (tenant_id, network_key) DO UPDATE SET " +
                "network = excluded.network, ipv4_address = excluded.ipv4_address, ipv4_subnet_mask = excluded.ipv4_subnet_mask, " +
                "ipv6_network = excluded.ipv6_network, ipv6_prefix_length = excluded.ipv6_prefix_length, ipv6_address = excluded.ipv6_address",
                ("$tenant", tenantId), ("$network", stored.Network), ("$key", Key(stored.Network)),
                ("$v4", stored.IPAddress?.ToString()), ("$mask", stored.SubnetMask?.ToString()), ("$v6network", stored.IPv6Network?.ToString()),
                ("$prefix", stored.PrefixLength), ("$v6", stored.IPv6Address?.ToString()));
            return ReadGateways(connection, transaction, configuration.Tenant, stored.Network).Single();
        });
    }

    public void RemoveDefaultGateway(string tenant, string network) => database.Write((connection, transaction) =>
    {
        var removed = connection.Execute(transaction, "DELETE FROM default_gateway WHERE tenant_id = $tenant AND network_key = $key",
            ("$tenant", TenantId(connection, transaction, tenant)), ("$key", Key(network)));
        if (removed == 0)
        {
            throw NetworkExtensionGuards.NoGateway(tenant, network);
        }
    });

    public void Dispose() => database.Dispose();

    private static string Key(string name) => name.ToUpperInvariant();

    private long Ticks() => timeProvider.GetUtcNow().UtcTicks;

    private static HardwarePlan ReadPlanRow(SqliteDataReader reader) => new()
    {
        Id = Guid.Parse(reader.GetString(0)),
        Name = reader.GetString(1),
        Description = reader.GetString(2),
    };

    private static DefaultGatewayConfiguration ReadConfigurationRow(SqliteDataReader reader) => new()
    {
        Tenant = reader.GetString(0),
        HardwarePlan = reader.IsDBNull(1) ? null : reader.GetString(1),
        RouteBetweenNetworks = !reader.IsDBNull(2) && reader.GetInt64(2) != 0,
    };

    private static HardwarePlan FindPlan(SqliteConnection connection, SqliteTransaction? transaction, string name, string? field = null)
    {
        var plan = connection.Query(transaction, $"SELECT {PlanColumns} FROM hardware_plan WHERE name_key = $key", ReadPlanRow, ("$key", Key(name)))
            .SingleOrDefault();
        return plan is null ? throw NetworkExtensionGuards.PlanNotFound(name, field) : WithNetworks(connection, transaction, plan);
    }

    private static HardwarePlan WithNetworks(SqliteConnection connection, SqliteTransaction? transaction, HardwarePlan plan) => plan with
    {
        Networks = connection.Query(transaction,
            "SELECT name, internet_access, vlan_id FROM hardware_plan_network WHERE plan_id = $id ORDER BY position",
            reader => new PlanNetwork(reader.GetString(0), reader.GetInt64(1) != 0, reader.GetInt32(2)), ("$id", plan.Id.ToString())),
    };

    private static void InsertNetworks(SqliteConnection connection, SqliteTransaction transaction, HardwarePlan plan)
    {
        for (var position = 0; position < plan.Networks.Count; position++)
        {
            var network = plan.Networks[position];
            connection.Execute(transaction,
                "INSERT INTO hardware_plan_network (plan_id, position, name, name_key, internet_access, vlan_id) VALUES ($plan, $position, $name, $key, $internet, $vlan)",
                ("$plan", plan.Id.ToString()), ("$position", position), ("$name", network.Name), ("$key", Key(network.Name)),
                ("$internet", network.InternetAccess ? 1 : 0), ("$vlan", network.VlanId));
        }
    }

    private static List<(string Tenant, string Network)> GatewaysOfPlan(SqliteConnection connection, SqliteTransaction transaction, Guid planId) =>
        connection.Query(transaction,
            "SELECT t.name, g.network FROM default_gateway g JOIN tenant t ON t.id = g.tenant_id " +
            "JOIN tenant_network_extension x ON x.tenant_id = g.tenant_id WHERE x.plan_id = $id ORDER BY t.name_key, g.network_key",
            reader => (reader.GetString(0), reader.GetString(1)), ("$id", planId.ToString()));

    private static string TenantId(SqliteConnection connection, SqliteTransaction? transaction, string tenant) =>
        connection.Scalar(transaction, "SELECT id FROM tenant WHERE name_key = $key", ("$key", Key(tenant))) as string
            ?? throw NetworkExtensionGuards.TenantNotFound(tenant);

    private static DefaultGatewayConfiguration FindConfiguration(SqliteConnection connection, SqliteTransaction? transaction, string tenant)
    {
        TenantId(connection, transaction, tenant);
        return connection.Query(transaction,
            "SELECT t.name, p.name, x.route_between_networks FROM tenant t LEFT JOIN tenant_network_extension x ON x.tenant_id = t.id " +
            "LEFT JOIN hardware_plan p ON p.id = x.plan_id WHERE t.name_key = $key",
            ReadConfigurationRow, ("$key", Key(tenant))).Single();
    }

    private static List<DefaultGateway> ReadGateways(SqliteConnection connection, SqliteTransaction? transaction, string? tenant, string? network) =>
        connection.Query(transaction,
            $"SELECT {GatewayColumns} FROM default_gateway g JOIN tenant t ON t.id = g.tenant_id " +
            "WHERE ($tenant IS NULL OR t.name_key = $tenant) AND ($network IS NULL OR g.network_key = $network) ORDER BY t.name_key, g.network_key",
            reader => new DefaultGateway
            {
                Tenant = reader.GetString(0),
                Network = reader.GetString(1),
                IPAddress = Address(reader, 2),
                SubnetMask = Address(reader, 3),
                IPv6Network = Address(reader, 4),
                PrefixLength = reader.IsDBNull(5) ? null : reader.GetInt32(5),
                IPv6Address = Address(reader, 6),
            },
            ("$tenant", tenant is null ? null : Key(tenant)), ("$network", network is null ? null : Key(network)));

    private static IPAddress? Address(SqliteDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : IPAddress.Parse(reader.GetString(column).AsSpan());
}
