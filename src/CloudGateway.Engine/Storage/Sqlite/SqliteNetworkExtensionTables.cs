using CloudGateway.Networking;
using Microsoft.Data.Sqlite;

namespace CloudGateway.Storage.Sqlite;

/// <summary>The SQL of each network extension table operation, on one SQLite connection and transaction. Ids are GUIDs in text form, times UTC ticks.</summary>
internal sealed class SqliteNetworkExtensionTables(SqliteConnection connection, SqliteTransaction? transaction) : INetworkExtensionTables
{
    private const string ConfigurationQuery =
        "SELECT tn.name, p.name, COALESCE(x.route_between_networks, 0) FROM tenants tn LEFT JOIN tenant_network_extensions x ON x.tenant_id = tn.id " +
        "LEFT JOIN hardware_plans p ON p.id = x.plan_id WHERE $key IS NULL OR tn.name_key = $key ORDER BY tn.name_key";

    public List<HardwarePlan> ReadPlans(string? name) =>
        connection.Query(transaction, "SELECT id, name, description FROM hardware_plans WHERE $key IS NULL OR name_key = $key ORDER BY name_key",
            reader => new HardwarePlan { Id = Guid.Parse(reader.GetString(0)), Name = reader.GetString(1), Description = reader.GetString(2) },
            ("$key", KeyOrNull(name)))
        .Select(plan => plan with
        {
            Networks = connection.Query(transaction,
                "SELECT name, internet_access, vlan_id FROM hardware_plan_networks WHERE plan_id = $id ORDER BY position",
                reader => NetworkExtensionRows.ReadNetwork(reader, 0), ("$id", plan.Id.ToString())),
        }).ToList();

    public bool PlanNameTaken(string name) =>
        connection.Scalar(transaction, "SELECT 1 FROM hardware_plans WHERE name_key = $key", ("$key", Key(name))) is not null;

    public void WritePlan(HardwarePlan plan, DateTimeOffset now, bool isNew)
    {
        var id = plan.Id.ToString();
        connection.Execute(transaction, isNew
                ? "INSERT INTO hardware_plans (id, name, name_key, description, created, modified) VALUES ($id, $name, $key, $description, $now, $now)"
                : "UPDATE hardware_plans SET name = $name, name_key = $key, description = $description, modified = $now WHERE id = $id",
            ("$id", id), ("$name", plan.Name), ("$key", Key(plan.Name)), ("$description", plan.Description), ("$now", now.UtcTicks));
        connection.Execute(transaction, "DELETE FROM hardware_plan_networks WHERE plan_id = $id", ("$id", id));
        for (var position = 0; position < plan.Networks.Count; position++)
        {
            var network = plan.Networks[position];
            connection.Execute(transaction,
                "INSERT INTO hardware_plan_networks (plan_id, position, name, name_key, internet_access, vlan_id) VALUES ($plan, $position, $name, $key, $internet, $vlan)",
                ("$plan", id), ("$position", position), ("$name", network.Name), ("$key", Key(network.Name)),
                ("$internet", network.InternetAccess ? 1 : 0), ("$vlan", network.VlanId));
        }
    }

    public List<string> Subscribers(Guid planId) => connection.Query(transaction,
        "SELECT t.name FROM tenant_network_extensions x JOIN tenants t ON t.id = x.tenant_id WHERE x.plan_id = $id ORDER BY t.name_key",
        reader => reader.GetString(0), ("$id", planId.ToString()));

    public void DeletePlan(Guid planId)
    {
        connection.Execute(transaction, "UPDATE tenant_network_extensions SET plan_id = NULL WHERE plan_id = $id", ("$id", planId.ToString()));
        connection.Execute(transaction, "DELETE FROM hardware_plans WHERE id = $id", ("$id", planId.ToString()));
    }

    public List<(string Tenant, string Network)> GatewaysOfPlan(Guid planId) => connection.Query(transaction,
        "SELECT t.name, g.network FROM default_gateways g JOIN tenants t ON t.id = g.tenant_id " +
        "JOIN tenant_network_extensions x ON x.tenant_id = g.tenant_id WHERE x.plan_id = $id ORDER BY t.name_key, g.network_key",
        reader => (reader.GetString(0), reader.GetString(1)), ("$id", planId.ToString()));

    public List<DefaultGatewayConfiguration> ReadConfigurations(string? tenant) =>
        connection.Query(transaction, ConfigurationQuery, NetworkExtensionRows.ReadConfiguration, ("$key", KeyOrNull(tenant)));

    public void WriteConfiguration(string tenant, Guid? planId, bool routeBetweenNetworks) => connection.Execute(transaction,
        "INSERT INTO tenant_network_extensions (tenant_id, plan_id, route_between_networks) SELECT id, $plan, $route FROM tenants WHERE name_key = $tenant " +
        "ON CONFLICT (tenant_id) DO UPDATE SET plan_id = excluded.plan_id, route_between_networks = excluded.route_between_networks",
        ("$tenant", Key(tenant)), ("$plan", planId?.ToString()), ("$route", routeBetweenNetworks ? 1 : 0));

    public List<DefaultGateway> ReadGateways(string? tenant, string? network) => connection.Query(transaction,
        $"SELECT {NetworkExtensionRows.GatewayColumns} FROM default_gateways g JOIN tenants tn ON tn.id = g.tenant_id " +
        "WHERE ($tenant IS NULL OR tn.name_key = $tenant) AND ($network IS NULL OR g.network_key = $network) ORDER BY tn.name_key, g.network_key",
        NetworkExtensionRows.ReadGateway, ("$tenant", KeyOrNull(tenant)), ("$network", KeyOrNull(network)));

    public void WriteGateway(DefaultGateway gateway) => connection.Execute(transaction,
        "INSERT INTO default_gateways (tenant_id, network, network_key, ipv4_address, ipv4_subnet_mask, ipv6_network, ipv6_prefix_length, ipv6_address) " +
        "SELECT id, $network, $key, $v4, $mask, $v6network, $prefix, $v6 FROM tenants WHERE name_key = $tenant ON CONFLICT (tenant_id, network_key) DO UPDATE SET " +
        "network = excluded.network, ipv4_address = excluded.ipv4_address, ipv4_subnet_mask = excluded.ipv4_subnet_mask, " +
        "ipv6_network = excluded.ipv6_network, ipv6_prefix_length = excluded.ipv6_prefix_length, ipv6_address = excluded.ipv6_address",
        ("$tenant", Key(gateway.Tenant)), ("$network", gateway.Network), ("$key", Key(gateway.Network)),
        ("$v4", gateway.IPAddress?.ToString()), ("$mask", gateway.SubnetMask?.ToString()), ("$v6network", gateway.IPv6Network?.ToString()),
        ("$prefix", gateway.PrefixLength), ("$v6", gateway.IPv6Address?.ToString()));

    public int DeleteGateway(string tenant, string network) => connection.Execute(transaction,
        "DELETE FROM default_gateways WHERE tenant_id = (SELECT id FROM tenants WHERE name_key = $tenant) AND network_key = $key",
        ("$tenant", Key(tenant)), ("$key", Key(network)));

    private static string Key(string name) => name.ToUpperInvariant();

    private static string? KeyOrNull(string? name) => name?.ToUpperInvariant();
}
