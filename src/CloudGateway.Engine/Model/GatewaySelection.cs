namespace CloudGateway.Model;

/// <summary>Which gateways a tenant may use.</summary>
public enum GatewaySelection
{
    /// <summary>The gateways that belong to no pool.</summary>
    Standalone,
    /// <summary>The gateways of the tenant's pools.</summary>
    Pools,
}
