using CloudGateway.Networking;
using Npgsql;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

/// <summary>The SQL of each network extension table operation, on one PostgreSQL connection and transaction.</summary>
internal sealed class PostgresNetworkExtensionTables(NpgsqlConnection c, NpgsqlTransaction t) : INetworkExtensionTables
{
    public List<HardwarePlan> ReadPlans(string? name)
    {
        var networks = Query(c, t,
            "SELECT n.plan_id, n.name, n.internet_access, n.vlan_id FROM hardware_plan_networks n JOIN hardware_plans p ON p.id = n.plan_id " +
            "WHERE @key::text IS NULL OR p.name_key = @key ORDER BY n.plan_id, n.position",
            r => (Plan: r.GetGuid(0), Network: NetworkExtensionRows.ReadNetwork(r, 1)),
            ("key", KeyOrNull(name))).ToLookup(n => n.Plan, n => n.Network);
        return Query(c, t, "SELECT id, name, description FROM hardware_plans WHERE @key::text IS NULL OR name_key = @key ORDER BY name_key",
            r => new HardwarePlan { Id = r.GetGuid(0), Name = r.GetString(1), Description = r.GetString(2), Networks = networks[r.GetGuid(0)].ToList() },
            ("key", KeyOrNull(name)));
    }

    public bool PlanNameTaken(string name) =>
        Scalar<Guid?>(c, t, "SELECT id FROM hardware_plans WHERE name_key = @key", ("key", Key(name))) is not null;

    public void WritePlan(HardwarePlan plan, DateTimeOffset now, bool isNew)
    {
        Execute(c, t, isNew
                ? "INSERT INTO hardware_plans (id, name, name_key, description, created, modified) VALUES (@id, @name, @key, @description, @now, @now)"
                : "UPDATE hardware_plans SET name = @name, name_key = @key, description = @description, modified = @now WHERE id = @id",
            ("id", plan.Id), ("name", plan.Name), ("key", Key(plan.Name)), ("description", plan.Description), ("now", Utc(now)));
        Execute(c, t, "DELETE FROM hardware_plan_networks WHERE plan_id = @id", ("id", plan.Id));
        for (var position = 0; position < plan.Networks.Count; position++)
        {
            var network = plan.Networks[position];
            Execute(c, t,
                "INSERT INTO hardware_plan_networks (plan_id, position, name, name_key, internet_access, vlan_id) VALUES (@plan, @position, @name, @key, @internet, @vlan)",
                ("plan", plan.Id), ("position", position), ("name", network.Name), ("key", Key(network.Name)), ("internet", network.InternetAccess), ("vlan", network.VlanId));
        }
    }

    public List<string> Subscribers(Guid planId) => Query(c, t,
        "SELECT tn.name FROM tenant_network_extensions x JOIN tenants tn ON tn.id = x.tenant_id WHERE x.plan_id = @id ORDER BY tn.name_key",
        r => r.GetString(0), ("id", planId));

    public void DeletePlan(Guid planId)
    {
        Execute(c, t, "UPDATE tenant_network_extensions SET plan_id = NULL WHERE plan_id = @id", ("id", planId));
        Execute(c, t, "DELETE FROM hardware_plans WHERE id = @id", ("id", planId));
    }

    public List<(string Tenant, string Network)> GatewaysOfPlan(Guid planId) => Query(c, t,
        "SELECT tn.name, g.network FROM default_gateways g JOIN tenants tn ON tn.id = g.tenant_id " +
        "JOIN tenant_network_extensions x ON x.tenant_id = g.tenant_id WHERE x.plan_id = @id ORDER BY tn.name_key, g.network_key",
        r => (r.GetString(0), r.GetString(1)), ("id", planId));

    public List<DefaultGatewayConfiguration> ReadConfigurations(string? tenant) => Query(c, t,
        "SELECT tn.name, p.name, COALESCE(x.route_between_networks, false) FROM tenants tn " +
        "LEFT JOIN tenant_network_extensions x ON x.tenant_id = tn.id LEFT JOIN hardware_plans p ON p.id = x.plan_id " +
        "WHERE @key::text IS NULL OR tn.name_key = @key ORDER BY tn.name_key",
        NetworkExtensionRows.ReadConfiguration, ("key", KeyOrNull(tenant)));

    public void WriteConfiguration(string tenant, Guid? planId, bool routeBetweenNetworks) => Execute(c, t,
        "INSERT INTO tenant_network_extensions (tenant_id, plan_id, route_between_networks) SELECT id, @plan::uuid, @route FROM tenants WHERE name_key = @tenant " +
        "ON CONFLICT (tenant_id) DO UPDATE SET plan_id = excluded.plan_id, route_between_networks = excluded.route_between_networks",
        ("tenant", Key(tenant)), ("plan", planId), ("route", routeBetweenNetworks));

    public List<DefaultGateway> ReadGateways(string? tenant, string? network) => Query(c, t,
        $"SELECT {NetworkExtensionRows.GatewayColumns} FROM default_gateways g JOIN tenants tn ON tn.id = g.tenant_id " +
        "WHERE (@tenant::text IS NULL OR tn.name_key = @tenant) AND (@network::text IS NULL OR g.network_key = @network) ORDER BY tn.name_key, g.network_key",
        NetworkExtensionRows.ReadGateway, ("tenant", KeyOrNull(tenant)), ("network", KeyOrNull(network)));

    public void WriteGateway(DefaultGateway gateway) => Execute(c, t,
        "INSERT INTO default_gateways (tenant_id, network, network_key, ipv4_address, ipv4_subnet_mask, ipv6_network, ipv6_prefix_length, ipv6_address) " +
        "SELECT id, @network, @key, @v4::text, @mask::text, @v6network::text, @prefix::integer, @v6::text FROM tenants WHERE name_key = @tenant ON CONFLICT (tenant_id, network_key) DO UPDATE SET " +
        "network = excluded.network, ipv4_address = excluded.ipv4_address, ipv4_subnet_mask = excluded.ipv4_subnet_mask, " +
        "ipv6_network = excluded.ipv6_network, ipv6_prefix_length = excluded.ipv6_prefix_length, ipv6_address = excluded.ipv6_address",
        ("tenant", Key(gateway.Tenant)), ("network", gateway.Network), ("key", Key(gateway.Network)),
        ("v4", gateway.IPAddress?.ToString()), ("mask", gateway.SubnetMask?.ToString()), ("v6network", gateway.IPv6Network?.ToString()),
        ("prefix", gateway.PrefixLength), ("v6", gateway.IPv6Address?.ToString()));

    public int DeleteGateway(string tenant, string network) => Execute(c, t,
        "DELETE FROM default_gateways WHERE tenant_id = (SELECT id FROM tenants WHERE name_key = @tenant) AND network_key = @key",
        ("tenant", Key(tenant)), ("key", Key(network)));

    private static string? KeyOrNull(string? name) => name is null ? null : Key(name);
}
