using System.Data.Common;
using System.Net;
using CloudGateway.Networking;

namespace CloudGateway.Storage;

/// <summary>Reads network extension rows the SQLite and PostgreSQL tables return in the same column order.</summary>
internal static class NetworkExtensionRows
{
    /// <summary>The columns <see cref="ReadGateway"/> expects, for a query joining default gateways <c>g</c> to tenants <c>tn</c>.</summary>
    public const string GatewayColumns = "tn.name, g.network, g.ipv4_address, g.ipv4_subnet_mask, g.ipv6_network, g.ipv6_prefix_length, g.ipv6_address";

    /// <summary>A default gateway from <see cref="GatewayColumns"/>; addresses are text in .NET's canonical form.</summary>
    public static DefaultGateway ReadGateway(DbDataReader reader) => new()
    {
        Tenant = reader.GetString(0),
        Network = reader.GetString(1),
        IPAddress = Address(reader, 2),
        SubnetMask = Address(reader, 3),
        IPv6Network = Address(reader, 4),
        PrefixLength = reader.IsDBNull(5) ? null : reader.GetInt32(5),
        IPv6Address = Address(reader, 6),
    };

    /// <summary>A tenant's settings from (tenant name, plan name or NULL, routing flag).</summary>
    public static DefaultGatewayConfiguration ReadConfiguration(DbDataReader reader) => new()
    {
        Tenant = reader.GetString(0),
        HardwarePlan = reader.IsDBNull(1) ? null : reader.GetString(1),
        RouteBetweenNetworks = reader.GetBoolean(2),
    };

    /// <summary>A plan network from (name, internet access flag, VLAN id) starting at column <paramref name="first"/>.</summary>
    public static PlanNetwork ReadNetwork(DbDataReader reader, int first) =>
        new(reader.GetString(first), reader.GetBoolean(first + 1), reader.GetInt32(first + 2));

    private static IPAddress? Address(DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : IPAddress.Parse(reader.GetString(column).AsSpan());
}
