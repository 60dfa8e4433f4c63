namespace CloudGateway.Networking.Appliance;

/// <summary>One replica network as the appliance carries it: a bridge and the gateway addresses it holds.</summary>
/// <param name="Name">The plan's network name.</param>
/// <param name="VlanId">The network's VLAN id; the bridge is named after it.</param>
/// <param name="InternetAccess">Whether the network is forwarded, with source NAT, to the external interface.</param>
/// <param name="Addresses">The gateway addresses the bridge holds, as <c>address/prefix</c> (IPv4 and IPv6).</param>
public sealed record ApplianceNetwork(string Name, int VlanId, bool InternetAccess, IReadOnlyList<string> Addresses)
{
    /// <summary>The bridge replica VMs plug into: <c>cgbr</c> and the VLAN id.</summary>
    public string BridgeName => "cgbr" + VlanId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
