using System.Net;
using CloudGateway.Networking;
using Npgsql;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

internal sealed partial class PostgresNetworkExtensionStore
{
    private const string ConfigurationQuery =
        "SELECT tn.name, p.name, COALESCE(x.route_between_networks, false) FROM tenants tn " +
        "LEFT JOIN tenant_network_extensions x ON x.tenant_id = tn.id LEFT JOIN hardware_plans p ON p.id = x.plan_id ";

    public IReadOnlyList<DefaultGatewayConfiguration> GetConfigurations() =>
        database.Read((c, t) => Query(c, t, ConfigurationQuery + "ORDER BY tn.name_key", ReadConfigurationRow));

    public DefaultGatewayConfiguration GetConfiguration(string tenant) => database.Read((c, t) => FindConfiguration(c, t, tenant));

    public DefaultGatewayConfiguration UpdateConfiguration(string tenant, Func<DefaultGatewayConfiguration, DefaultGatewayConfiguration> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return database.Write((c, t) =>
        {
            var current = FindConfiguration(c, t, tenant);
            var changed = change(current) with { Tenant = current.Tenant };
            var tenantId = TenantId(c, t, tenant);
            var plan = changed.HardwarePlan is null ? null : FindPlan(c, t, changed.HardwarePlan, "HardwarePlan");
            NetworkExtensionGuards.CheckConfiguration(current, changed, plan, ReadGateways(c, t, tenant, null));
            Execute(c, t,
                "INSERT INTO tenant_network_extensions (tenant_id, plan_id, route_between_networks) VALUES (@tenant, @plan, @route) " +
                "ON CONFLICT (tenant_id) DO UPDATE SET plan_id = excluded.plan_id, route_between_networks = excluded.route_between_networks",
                ("tenant", tenantId), ("plan", plan?.Id), ("route", changed.RouteBetweenNetworks));
            return FindConfiguration(c, t, tenant);
        });
    }

    public IReadOnlyList<DefaultGateway> GetDefaultGateways(string? tenant = null, string? network = null) => database.Read((c, t) =>
    {
        if (tenant is not null)
        {
            TenantId(c, t, tenant);
        }

        return ReadGateways(c, t, tenant, network);
    });

    public DefaultGateway SetDefaultGateway(DefaultGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        NetworkExtensionGuards.CheckGatewayFields(gateway);
        return database.Write((c, t) =>
        {
            var tenantId = TenantId(c, t, gateway.Tenant);
            var configuration = FindConfiguration(c, t, gateway.Tenant);
            var plan = configuration.HardwarePlan is null ? null : FindPlan(c, t, configuration.HardwarePlan);
            var stored = NetworkExtensionGuards.CheckGateway(gateway, configuration, plan, ReadGateways(c, t, configuration.Tenant, null));
            Execute(c, t,
                "INSERT INTO default_gateways (tenant_id, network, network_key, ipv4_address, ipv4_subnet_mask, ipv6_network, ipv6_prefix_length, ipv6_address) " +
                "VALUES (@tenant, @network, @key, @v4, @mask, @v6network, @prefix, @v6) ON CONFLICT (tenant_id, network_key) DO UPDATE SET " +
                "network = excluded.network, ipv4_address = excluded.ipv4_address, ipv4_subnet_mask = excluded.ipv4_subnet_mask, " +
                "ipv6_network = excluded.ipv6_network, ipv6_prefix_length = excluded.ipv6_prefix_length, ipv6_address = excluded.ipv6_address",
                ("tenant", tenantId), ("network", stored.Network), ("key", Key(stored.Network)),
                ("v4", stored.IPAddress?.ToString()), ("mask", stored.SubnetMask?.ToString()), ("v6network", stored.IPv6Network?.ToString()),
                ("prefix", stored.PrefixLength), ("v6", stored.IPv6Address?.ToString()));
            return ReadGateways(c, t, configuration.Tenant, stored.Network).Single();
        });
    }

    public void RemoveDefaultGateway(string tenant, string network) => database.Write((c, t) =>
    {
        var removed = Execute(c, t, "DELETE FROM default_gateways WHERE tenant_id = @tenant AND network_key = @key",
            ("tenant", TenantId(c, t, tenant)), ("key", Key(network)));
        return removed == 0 ? throw NetworkExtensionGuards.NoGateway(tenant, network) : removed;
    });

    private static DefaultGatewayConfiguration ReadConfigurationRow(NpgsqlDataReader r) => new()
    {
        Tenant = r.GetString(0),
        HardwarePlan = r.IsDBNull(1) ? null : r.GetString(1),
        RouteBetweenNetworks = r.GetBoolean(2),
    };

    private static Guid TenantId(NpgsqlConnection c, NpgsqlTransaction t, string tenant) =>
        Scalar<Guid?>(c, t, "SELECT id FROM tenants WHERE name_key = @key", ("key", Key(tenant))) ?? throw NetworkExtensionGuards.TenantNotFound(tenant);

    private static DefaultGatewayConfiguration FindConfiguration(NpgsqlConnection c, NpgsqlTransaction t, string tenant)
    {
        TenantId(c, t, tenant);
        return Query(c, t, ConfigurationQuery + "WHERE tn.name_key = @key", ReadConfigurationRow, ("key", Key(tenant))).Single();
    }

    private static List<DefaultGateway> ReadGateways(NpgsqlConnection c, NpgsqlTransaction t, string? tenant, string? network) =>
        Query(c, t,
            "SELECT tn.name, g.network, g.ipv4_address, g.ipv4_subnet_mask, g.ipv6_network, g.ipv6_prefix_length, g.ipv6_address " +
            "FROM default_gateways g JOIN tenants tn ON tn.id = g.tenant_id " +
            "WHERE (@tenant::text IS NULL OR tn.name_key = @tenant) AND (@network::text IS NULL OR g.network_key = @network) ORDER BY tn.name_key, g.network_key",
            r => new DefaultGateway
            {
                Tenant = r.GetString(0),
                Network = r.GetString(1),
                IPAddress = Address(r, 2),
                SubnetMask = Address(r, 3),
                IPv6Network = Address(r, 4),
                PrefixLength = r.IsDBNull(5) ? null : r.GetInt32(5),
                IPv6Address = Address(r, 6),
            },
            ("tenant", tenant is null ? null : Key(tenant)), ("network", network is null ? null : Key(network)));

    private static IPAddress? Address(NpgsqlDataReader r, int column) => r.IsDBNull(column) ? null : IPAddress.Parse(r.GetString(column).AsSpan());
}
