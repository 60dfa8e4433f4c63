namespace CloudGateway.Networking;

/// <summary>One network of a hardware plan.</summary>
/// <param name="Name">Unique within the plan, compared without regard to case; default gateways refer to it.</param>
/// <param name="InternetAccess">Whether the appliance forwards this network to the external interface (with source NAT).</param>
/// <param name="VlanId">1..4094, unique within the plan; the appliance's bridge is named <c>cgbr</c> + this id.</param>
public sealed record PlanNetwork(string Name, bool InternetAccess, int VlanId)
{
    /// <summary>The lowest VLAN id.</summary>
    public const int MinVlanId = 1;

    /// <summary>The highest VLAN id (4095 is reserved by IEEE 802.1Q).</summary>
    public const int MaxVlanId = 4094;

    /// <summary>The name of this network's bridge on the appliance.</summary>
    public string BridgeName => "cgbr" + VlanId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
