namespace CloudGateway.Networking;

/// <summary>A tenant's network extension settings: the hardware plan it subscribes to and whether its networks reach each other.</summary>
public sealed record DefaultGatewayConfiguration
{
    /// <summary>The tenant's name.</summary>
    public required string Tenant { get; init; }

    /// <summary>The hardware plan the tenant subscribes to, or null for none.</summary>
    public string? HardwarePlan { get; init; }

    /// <summary>Whether the appliance forwards traffic between the tenant's replica networks.</summary>
    public bool RouteBetweenNetworks { get; init; }
}
