namespace CloudGateway.Model;

/// <summary>How tenants reach a gateway: straight to the port it listens on, or through a NAT that maps an external port.</summary>
public enum NetworkMode
{
    /// <summary>Tenants connect to the port the gateway listens on.</summary>
    Direct,
    /// <summary>Tenants connect to an external port that a NAT device forwards to the gateway's internal port.</summary>
    Nat,
}
