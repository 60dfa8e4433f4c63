using System.Net;

namespace CloudGateway.Networking;

/// <summary>
/// The default gateway of one of a tenant's production networks, as the replica network gets it on the
/// appliance: an IPv4 gateway address with its subnet mask, and/or an IPv6 network, prefix length and gateway
/// address. Property names match the parameters of Set-DefaultGateway, so objects can be piped into it.
/// </summary>
public sealed record DefaultGateway
{
    /// <summary>The tenant's name.</summary>
    public required string Tenant { get; init; }

    /// <summary>The network's name; one of the networks of the tenant's hardware plan.</summary>
    public required string Network { get; init; }

    /// <summary>The IPv4 gateway address, or null when the network has no IPv4 gateway.</summary>
    public IPAddress? IPAddress { get; init; }

    /// <summary>The IPv4 subnet mask (contiguous, for example 255.255.255.0); set together with <see cref="IPAddress"/>.</summary>
    public IPAddress? SubnetMask { get; init; }

    /// <summary>The IPv6 network's first address (no host bits), or null when the network has no IPv6 gateway.</summary>
    public IPAddress? IPv6Network { get; init; }

    /// <summary>The IPv6 prefix length, 1..128.</summary>
    public int? PrefixLength { get; init; }

    /// <summary>The IPv6 gateway address, inside <see cref="IPv6Network"/>.</summary>
    public IPAddress? IPv6Address { get; init; }

    /// <summary>The IPv4 prefix length of <see cref="SubnetMask"/>, or null when there is none or it is not contiguous.</summary>
    public int? IPv4PrefixLength => SubnetMask is null ? null : IPAddressMath.PrefixOfMask(SubnetMask);

    /// <summary>The IPv4 subnet, when the IPv4 part is set and valid.</summary>
    public IPSubnet? IPv4Subnet =>
        IPAddress is not null && IPv4PrefixLength is { } prefix && IPAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? IPSubnet.Containing(IPAddress, prefix)
            : null;

    /// <summary>The IPv6 subnet, when the IPv6 part is set and valid.</summary>
    public IPSubnet? IPv6Subnet =>
        IPv6Network is not null && PrefixLength is >= 0 and <= 128 && IPv6Network.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? IPSubnet.Containing(IPv6Network, PrefixLength.Value)
            : null;
}
