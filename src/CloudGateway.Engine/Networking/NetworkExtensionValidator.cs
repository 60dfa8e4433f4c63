using System.Net;
using System.Net.Sockets;

namespace CloudGateway.Networking;

/// <summary>
/// The rules for hardware plans and default gateways. Each method returns every problem it finds, each naming
/// the field as the cmdlet parameter is called, so one call to <see cref="GatewayException.ThrowIfInvalid"/>
/// reports them all.
/// </summary>
/// <remarks>
/// Decisions: an IPv4 /31 has no network or broadcast address (RFC 3021), so either address may be the gateway;
/// a /32 is accepted and its single address is the gateway (the appliance then holds a host route, as
/// point-to-point cloud networks do); a /0 mask is refused because every destination would be on-link and the
/// gateway never used. An IPv6 network with host bits set is refused, not normalised, because it is more often a
/// typo for the gateway than a deliberate network; the message names the network address meant. The IPv6 gateway
/// may not be the Subnet-Router anycast address (the network address, RFC 4291) except on a /127 (RFC 6164, both
/// addresses usable) and a /128 (the single address).
/// </remarks>
public static class NetworkExtensionValidator
{
    /// <summary>Checks a plan's name and networks: names present and unique, VLAN ids in range and unique.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(HardwarePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var problems = new List<ValidationProblem>();
        CheckName(problems, "Name", plan.Name, "hardware plan");
        if (plan.Networks.Count == 0)
        {
            problems.Add(new("Network", "a hardware plan needs at least one network."));
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var vlans = new HashSet<int>();
        foreach (var network in plan.Networks)
        {
            CheckName(problems, "Network", network.Name, "network");
            if (!string.IsNullOrWhiteSpace(network.Name) && !names.Add(network.Name))
            {
                problems.Add(new("Network", $"the network name '{network.Name}' is given more than once."));
            }

            if (network.VlanId is < PlanNetwork.MinVlanId or > PlanNetwork.MaxVlanId)
            {
                problems.Add(new("VlanId", $"network '{network.Name}' has VLAN id {network.VlanId}; it must be {PlanNetwork.MinVlanId} to {PlanNetwork.MaxVlanId}."));
            }
            else if (!vlans.Add(network.VlanId))
            {
                problems.Add(new("VlanId", $"VLAN id {network.VlanId} is used by more than one network of the plan."));
            }
        }

        return problems;
    }

    /// <summary>Checks one default gateway: names present, at least one address family, and each family's address rules.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(DefaultGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var problems = new List<ValidationProblem>();
        CheckName(problems, "Tenant", gateway.Tenant, "tenant");
        CheckName(problems, "Network", gateway.Network, "network");
        var hasIPv4 = gateway.IPAddress is not null || gateway.SubnetMask is not null;
        var hasIPv6 = gateway.IPv6Network is not null || gateway.PrefixLength is not null || gateway.IPv6Address is not null;
        if (!hasIPv4 && !hasIPv6)
        {
            problems.Add(new("IPAddress", "give an IPv4 gateway (IPAddress and SubnetMask), an IPv6 gateway (IPv6Network, PrefixLength and IPv6Address), or both."));
        }

        if (hasIPv4)
        {
            CheckIPv4(problems, gateway.IPAddress, gateway.SubnetMask);
        }

        if (hasIPv6)
        {
            CheckIPv6(problems, gateway.IPv6Network, gateway.PrefixLength, gateway.IPv6Address);
        }

        return problems;
    }

    /// <summary>
    /// Every pair of the tenant's networks whose IPv4 subnets or IPv6 networks overlap; reported under
    /// <paramref name="field"/>. Only valid gateways are compared.
    /// </summary>
    public static IReadOnlyList<ValidationProblem> FindOverlaps(IReadOnlyList<DefaultGateway> gateways, string field)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        var problems = new List<ValidationProblem>();
        for (var i = 0; i < gateways.Count; i++)
        {
            for (var j = i + 1; j < gateways.Count; j++)
            {
                AddOverlap(problems, field, gateways[i], gateways[i].IPv4Subnet, gateways[j], gateways[j].IPv4Subnet);
                AddOverlap(problems, field, gateways[i], gateways[i].IPv6Subnet, gateways[j], gateways[j].IPv6Subnet);
            }
        }

        return problems;
    }

    private static void AddOverlap(List<ValidationProblem> problems, string field, DefaultGateway a, IPSubnet? subnetA, DefaultGateway b, IPSubnet? subnetB)
    {
        if (subnetA is not null && subnetB is not null && subnetA.Overlaps(subnetB))
        {
            problems.Add(new(field, $"network '{a.Network}' ({subnetA}) overlaps network '{b.Network}' ({subnetB}); networks must not overlap while RouteBetweenNetworks is on."));
        }
    }

    private static void CheckIPv4(List<ValidationProblem> problems, IPAddress? address, IPAddress? mask)
    {
        if (address is null)
        {
            problems.Add(new("IPAddress", "an IPv4 gateway needs its address as well as its subnet mask."));
        }
        else if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            problems.Add(new("IPAddress", $"{address} is not an IPv4 address."));
        }
        else if (UnusableIPv4(address) is { } why)
        {
            problems.Add(new("IPAddress", $"{address} cannot be a gateway: it is {why}."));
        }

        int? prefix = null;
        if (mask is null)
        {
            problems.Add(new("SubnetMask", "an IPv4 gateway needs a subnet mask (for example 255.255.255.0)."));
        }
        else if (mask.AddressFamily != AddressFamily.InterNetwork)
        {
            problems.Add(new("SubnetMask", $"{mask} is not an IPv4 subnet mask."));
        }
        else if ((prefix = IPAddressMath.PrefixOfMask(mask)) is null)
        {
            problems.Add(new("SubnetMask", $"{mask} is not a contiguous mask: its one bits must all come before its zero bits."));
        }
        else if (prefix == 0)
        {
            problems.Add(new("SubnetMask", "0.0.0.0 (/0) leaves no network part: every address would be on-link and the gateway never used."));
        }

        if (address is null || address.AddressFamily != AddressFamily.InterNetwork || prefix is null or 0 or >= 31)
        {
            return;
        }

        var subnet = IPSubnet.Containing(address, prefix.Value);
        if (address.Equals(subnet.Network))
        {
            problems.Add(new("IPAddress", $"{address} is the network address of {subnet}; a gateway needs a host address."));
        }
        else if (address.Equals(subnet.Last))
        {
            problems.Add(new("IPAddress", $"{address} is the broadcast address of {subnet}; a gateway needs a host address."));
        }
    }

    private static string? UnusableIPv4(IPAddress address)
    {
        var first = IPAddressMath.ToUInt32(address) >> 24;
        return first switch
        {
            0 => "in 0.0.0.0/8, which means 'this network'",
            127 => "a loopback address",
            >= 224 and < 240 => "a multicast address",
            >= 240 => "in the reserved range 240.0.0.0/4",
            _ => null,
        };
    }

    private static void CheckIPv6(List<ValidationProblem> problems, IPAddress? network, int? prefixLength, IPAddress? gateway)
    {
        var networkUsable = network is not null && network.AddressFamily == AddressFamily.InterNetworkV6;
        if (network is null)
        {
            problems.Add(new("IPv6Network", "an IPv6 gateway needs its network (for example 2001:db8:1::)."));
        }
        else if (!networkUsable)
        {
            problems.Add(new("IPv6Network", $"{network} is not an IPv6 address."));
        }

        var prefixUsable = prefixLength is >= 1 and <= 128;
        if (prefixLength is null)
        {
            problems.Add(new("PrefixLength", "an IPv6 gateway needs the network's prefix length (1 to 128)."));
        }
        else if (!prefixUsable)
        {
            problems.Add(new("PrefixLength", $"{prefixLength} is not a valid IPv6 prefix length; it must be 1 to 128."));
        }

        var gatewayUsable = false;
        if (gateway is null)
        {
            problems.Add(new("IPv6Address", "an IPv6 gateway needs its address."));
        }
        else if (gateway.AddressFamily != AddressFamily.InterNetworkV6)
        {
            problems.Add(new("IPv6Address", $"{gateway} is not an IPv6 address."));
        }
        else if (UnusableIPv6(gateway) is { } why)
        {
            problems.Add(new("IPv6Address", $"{gateway} cannot be a gateway: it is {why}."));
        }
        else
        {
            gatewayUsable = true;
        }

        if (!networkUsable || !prefixUsable)
        {
            return;
        }

        var subnet = IPSubnet.Containing(network!, prefixLength!.Value);
        if (!subnet.Network.Equals(network))
        {
            problems.Add(new("IPv6Network", $"{network} has host bits set for /{prefixLength}; the network address is {subnet.Network}."));
            return;
        }

        if (network!.IsIPv6Multicast)
        {
            problems.Add(new("IPv6Network", $"{subnet} is a multicast range; it cannot hold a gateway."));
            return;
        }

        if (!gatewayUsable)
        {
            return;
        }

        if (!subnet.Contains(gateway!))
        {
            problems.Add(new("IPv6Address", $"{gateway} is not inside the network {subnet}."));
        }
        else if (prefixLength < 127 && gateway!.Equals(subnet.Network))
        {
            problems.Add(new("IPv6Address", $"{gateway} is the Subnet-Router anycast address of {subnet}; a gateway needs a host address."));
        }
    }

    private static string? UnusableIPv6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6None))
        {
            return "the unspecified address";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "the loopback address";
        }

        return address.IsIPv6Multicast ? "a multicast address" : null;
    }

    private static void CheckName(List<ValidationProblem> problems, string field, string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add(new(field, $"the {what} name is empty."));
        }
        else if (name.Length > HardwarePlan.MaxNameLength)
        {
            problems.Add(new(field, $"the {what} name is longer than {HardwarePlan.MaxNameLength} characters."));
        }
        else if (name.Any(char.IsControl) || name.Trim() != name)
        {
            problems.Add(new(field, $"the {what} name '{name}' has control characters or leading or trailing spaces."));
        }
    }
}
