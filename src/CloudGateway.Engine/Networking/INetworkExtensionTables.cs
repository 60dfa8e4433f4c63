namespace CloudGateway.Networking;

/// <summary>
/// The network extension tables of one backend, inside one of its transactions: plain reads and writes, no rules.
/// Names are matched without regard to case; lists come ordered as <see cref="INetworkExtensionStore"/> promises.
/// </summary>
internal interface INetworkExtensionTables
{
    /// <summary>Every plan with its networks, or only the named one, ordered by name.</summary>
    List<HardwarePlan> ReadPlans(string? name);

    /// <summary>Whether a plan has the name.</summary>
    bool PlanNameTaken(string name);

    /// <summary>Stores a plan and its networks: a new row, or replacing the row with its id.</summary>
    void WritePlan(HardwarePlan plan, DateTimeOffset now, bool isNew);

    /// <summary>The names of the tenants subscribed to the plan, ordered.</summary>
    List<string> Subscribers(Guid planId);

    /// <summary>Unsubscribes the plan's tenants and deletes it.</summary>
    void DeletePlan(Guid planId);

    /// <summary>Tenant and network of every default gateway of the plan's subscribers, ordered.</summary>
    List<(string Tenant, string Network)> GatewaysOfPlan(Guid planId);

    /// <summary>Every tenant's settings, or only the named tenant's (none when it does not exist), ordered by tenant.</summary>
    List<DefaultGatewayConfiguration> ReadConfigurations(string? tenant);

    /// <summary>Stores an existing tenant's plan and routing option.</summary>
    void WriteConfiguration(string tenant, Guid? planId, bool routeBetweenNetworks);

    /// <summary>Default gateways, all or of one tenant and/or network, ordered by tenant and network.</summary>
    List<DefaultGateway> ReadGateways(string? tenant, string? network);

    /// <summary>Creates or replaces the gateway of (tenant, network) of an existing tenant.</summary>
    void WriteGateway(DefaultGateway gateway);

    /// <summary>Deletes the gateway of (tenant, network) and returns how many there were.</summary>
    int DeleteGateway(string tenant, string network);
}
