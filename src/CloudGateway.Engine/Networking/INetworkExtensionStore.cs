namespace CloudGateway.Networking;

/// <summary>
/// The network extension part of the configuration: hardware plans, each tenant's plan subscription and routing
/// option, and the default gateways of its networks. Names are compared without regard to case; every change is
/// validated whole, runs in one transaction and bumps the configuration's change counter. Failures are
/// <see cref="GatewayException"/>s (NotFound, DuplicateName, HardwarePlanInUse, ValidationFailed).
/// </summary>
public interface INetworkExtensionStore : IDisposable
{
    /// <summary>All hardware plans, ordered by name.</summary>
    IReadOnlyList<HardwarePlan> GetHardwarePlans();

    /// <summary>The named plan; NotFound when there is none.</summary>
    HardwarePlan GetHardwarePlan(string name);

    /// <summary>Adds a plan and returns it as stored.</summary>
    HardwarePlan AddHardwarePlan(HardwarePlan plan);

    /// <summary>
    /// Reads the named plan, applies <paramref name="change"/> and stores the result, atomically. A network that
    /// subscribed tenants still have default gateways for cannot be dropped (ValidationFailed naming it).
    /// </summary>
    HardwarePlan UpdateHardwarePlan(string name, Func<HardwarePlan, HardwarePlan> change);

    /// <summary>Removes a plan; HardwarePlanInUse while tenants subscribe to it, unless <paramref name="force"/> unsubscribes them.</summary>
    void RemoveHardwarePlan(string name, bool force = false);

    /// <summary>Every tenant's network extension settings, ordered by tenant name (tenants never configured have defaults).</summary>
    IReadOnlyList<DefaultGatewayConfiguration> GetConfigurations();

    /// <summary>One tenant's settings; NotFound when the tenant does not exist.</summary>
    DefaultGatewayConfiguration GetConfiguration(string tenant);

    /// <summary>
    /// Reads the tenant's settings, applies <paramref name="change"/> and stores the result, atomically. Turning
    /// RouteBetweenNetworks on with overlapping networks, or choosing a plan that lacks a network the tenant has a
    /// gateway for, is refused.
    /// </summary>
    DefaultGatewayConfiguration UpdateConfiguration(string tenant, Func<DefaultGatewayConfiguration, DefaultGatewayConfiguration> change);

    /// <summary>Default gateways, all or of one tenant and/or network, ordered by tenant and network.</summary>
    IReadOnlyList<DefaultGateway> GetDefaultGateways(string? tenant = null, string? network = null);

    /// <summary>
    /// Creates or replaces the gateway of (tenant, network). The network must be one of the tenant's plan, and
    /// with RouteBetweenNetworks on it must not overlap the tenant's other networks.
    /// </summary>
    DefaultGateway SetDefaultGateway(DefaultGateway gateway);

    /// <summary>Removes the gateway of (tenant, network); NotFound when there is none.</summary>
    void RemoveDefaultGateway(string tenant, string network);
}
