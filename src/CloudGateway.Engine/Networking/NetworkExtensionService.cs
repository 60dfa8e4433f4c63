namespace CloudGateway.Networking;

/// <summary>
/// The network extension operations the cmdlets call, one each: they turn what an administrator typed into a
/// validated change of <see cref="INetworkExtensionStore"/>.
/// </summary>
public sealed class NetworkExtensionService(INetworkExtensionStore store)
{
    /// <summary>Adds a plan; <paramref name="networks"/> get internet access, <paramref name="isolatedNetworks"/> none (entries <c>name</c> or <c>name:vlan</c>).</summary>
    public HardwarePlan NewHardwarePlan(string name, string? description, IEnumerable<string>? networks, IEnumerable<string>? isolatedNetworks) =>
        store.AddHardwarePlan(new HardwarePlan
        {
            Name = name,
            Description = description ?? string.Empty,
            Networks = HardwarePlanNetworks.Build(networks, isolatedNetworks),
        });

    /// <summary>
    /// Changes a plan: the parts given replace the stored ones. When either network list is given both are
    /// replaced together, and networks that keep their name keep their VLAN id.
    /// </summary>
    public HardwarePlan SetHardwarePlan(string name, string? newName, string? description, IEnumerable<string>? networks, IEnumerable<string>? isolatedNetworks) =>
        store.UpdateHardwarePlan(name, plan => plan with
        {
            Name = newName ?? plan.Name,
            Description = description ?? plan.Description,
            Networks = networks is null && isolatedNetworks is null ? plan.Networks : HardwarePlanNetworks.Build(networks, isolatedNetworks, plan.Networks),
        });

    /// <summary>Creates or changes the default gateway of (tenant, network), keeping the stored parts not given.</summary>
    public DefaultGateway SetDefaultGateway(DefaultGatewayInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var existing = store.GetDefaultGateways(input.Tenant, input.Network).SingleOrDefault();
        return store.SetDefaultGateway(input.ApplyTo(existing));
    }

    /// <summary>
    /// Changes a tenant's settings: <paramref name="routeBetweenNetworks"/> when not null, and the plan when
    /// <paramref name="changePlan"/> is set (<paramref name="hardwarePlan"/> null or empty for none).
    /// </summary>
    public DefaultGatewayConfiguration SetConfiguration(string tenant, bool? routeBetweenNetworks, bool changePlan, string? hardwarePlan) =>
        store.UpdateConfiguration(tenant, configuration =>
        {
            var changed = changePlan ? WithHardwarePlan(hardwarePlan)(configuration) : configuration;
            return changed with { RouteBetweenNetworks = routeBetweenNetworks ?? configuration.RouteBetweenNetworks };
        });

    /// <summary>Subscribes a tenant to a plan, or to none when <paramref name="hardwarePlan"/> is null or empty.</summary>
    public DefaultGatewayConfiguration SetTenantHardwarePlan(string tenant, string? hardwarePlan) =>
        SetConfiguration(tenant, null, changePlan: true, hardwarePlan);

    /// <summary>
    /// The change that subscribes a tenant to a plan, or to none when <paramref name="hardwarePlan"/> is null or empty,
    /// for <see cref="Storage.IConfigurationStore.UpdateTenant"/> (Set-CloudTenant -HardwarePlan).
    /// </summary>
    public static Func<DefaultGatewayConfiguration, DefaultGatewayConfiguration> WithHardwarePlan(string? hardwarePlan) =>
        configuration => configuration with { HardwarePlan = string.IsNullOrEmpty(hardwarePlan) ? null : hardwarePlan };
}
