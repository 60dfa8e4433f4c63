using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CloudGateway.Networking;

/// <summary>
/// An IPv4 or IPv6 network: its first address and prefix length, host bits cleared. Written as
/// <c>192.0.2.0/24</c> or <c>2001:db8::/64</c>.
/// </summary>
public sealed record IPSubnet
{
    private IPSubnet(IPAddress network, int prefixLength)
    {
        Network = network;
        PrefixLength = prefixLength;
    }

    /// <summary>The network's first address (all host bits zero).</summary>
    public IPAddress Network { get; }

    /// <summary>The number of leading network bits: 0..32 for IPv4, 0..128 for IPv6.</summary>
    public int PrefixLength { get; }

    /// <summary>Whether this is an IPv6 network.</summary>
    public bool IsIPv6 => Network.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>The network that contains <paramref name="address"/> with the given prefix length (host bits cleared).</summary>
    public static IPSubnet Containing(IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var mask = IPAddressMath.MaskOfPrefix4(prefixLength);
            return new IPSubnet(IPAddressMath.FromUInt32(IPAddressMath.ToUInt32(address) & mask), prefixLength);
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var mask = IPAddressMath.MaskOfPrefix6(prefixLength);
            return new IPSubnet(IPAddressMath.FromUInt128(IPAddressMath.ToUInt128(address) & mask), prefixLength);
        }

        throw new ArgumentException($"{address} is neither an IPv4 nor an IPv6 address.", nameof(address));
    }

    /// <summary>The last address of the network: the broadcast address of an IPv4 network.</summary>
    public IPAddress Last => IsIPv6
        ? IPAddressMath.FromUInt128(IPAddressMath.ToUInt128(Network) | ~IPAddressMath.MaskOfPrefix6(PrefixLength))
        : IPAddressMath.FromUInt32(IPAddressMath.ToUInt32(Network) | ~IPAddressMath.MaskOfPrefix4(PrefixLength));

    /// <summary>Whether <paramref name="address"/> lies in this network (false for the other address family).</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != Network.AddressFamily)
        {
            return false;
        }

        return Containing(address, PrefixLength).Network.Equals(Network);
    }

    /// <summary>Whether the two networks share any address: one contains the other's first address.</summary>
    public bool Overlaps(IPSubnet other) => other is not null &&
        other.Network.AddressFamily == Network.AddressFamily && (Contains(other.Network) || other.Contains(Network));

    /// <inheritdoc />
    public override string ToString() => Network + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);
}
