namespace CloudGateway.Model;

/// <summary>Gives a tenant its pools; the gateway selection follows: Pools when any pool is given, else Standalone.</summary>
public static class TenantPools
{
    /// <summary>Returns <paramref name="tenant"/> with <paramref name="pools"/> in order and the matching <see cref="GatewaySelection"/>.</summary>
    public static Tenant Assign(Tenant tenant, IReadOnlyList<string> pools)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(pools);
        return tenant with
        {
            Pools = [.. pools],
            GatewaySelection = pools.Count > 0 ? GatewaySelection.Pools : GatewaySelection.Standalone,
        };
    }
}
