using System.Net;

namespace CloudGateway.Networking;

/// <summary>
/// One network this machine is attached to, with its default gateway, as Get-ProductionNetwork reports it.
/// The property names are Set-DefaultGateway's parameters, so piping these objects records the gateways.
/// </summary>
public sealed record ProductionNetwork
{
    /// <summary>The network's name: the interface name, unless the caller renames it to a plan network.</summary>
    public required string Network { get; init; }

    /// <summary>The interface the network is attached to.</summary>
    public required string InterfaceName { get; init; }

    /// <summary>The IPv4 subnet of the interface (<c>192.0.2.0/24</c>), or null when it has no IPv4 address.</summary>
    public string? IPv4Subnet { get; init; }

    /// <summary>The IPv4 default gateway, or null when no default route leaves through this interface.</summary>
    public IPAddress? IPAddress { get; init; }

    /// <summary>The subnet mask of the IPv4 subnet holding the gateway; null when there is no gateway.</summary>
    public IPAddress? SubnetMask { get; init; }

    /// <summary>The IPv6 subnet of the interface (<c>2001:db8::/64</c>), or null when it has no global IPv6 address.</summary>
    public string? IPv6Subnet { get; init; }

    /// <summary>The IPv6 network holding the gateway; null when there is no global IPv6 default gateway on it.</summary>
    public IPAddress? IPv6Network { get; init; }

    /// <summary>The IPv6 network's prefix length; null when there is no IPv6 gateway.</summary>
    public int? PrefixLength { get; init; }

    /// <summary>
    /// The IPv6 default gateway, when it is a global address inside the interface's network. A link-local
    /// gateway (fe80::/10) is not reported: the appliance needs an address it can carry on the replica network.
    /// </summary>
    public IPAddress? IPv6Address { get; init; }
}
