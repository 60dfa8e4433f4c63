namespace CloudGateway.Networking;

/// <summary>
/// The one implementation of <see cref="INetworkExtensionStore"/>'s rules, over a backend's tables: every change reads,
/// checks (<see cref="NetworkExtensionGuards"/>) and writes inside one transaction of the backend, so SQLite and
/// PostgreSQL refuse the same changes with the same errors and a refused change writes nothing.
/// </summary>
internal abstract class NetworkExtensionStore(TimeProvider timeProvider) : INetworkExtensionStore
{
    public IReadOnlyList<HardwarePlan> GetHardwarePlans() => Read(tables => tables.ReadPlans(null));

    public HardwarePlan GetHardwarePlan(string name) => Read(tables => FindPlan(tables, name));

    public HardwarePlan AddHardwarePlan(HardwarePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        NetworkExtensionGuards.CheckNewPlan(plan);
        return Write(tables =>
        {
            if (tables.PlanNameTaken(plan.Name))
            {
                throw NetworkExtensionGuards.DuplicatePlan(plan.Name);
            }

            tables.WritePlan(plan, timeProvider.GetUtcNow(), isNew: true);
            return FindPlan(tables, plan.Name);
        });
    }

    public HardwarePlan UpdateHardwarePlan(string name, Func<HardwarePlan, HardwarePlan> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Write(tables =>
        {
            var current = FindPlan(tables, name);
            var changed = change(current) with { Id = current.Id };
            if (!string.Equals(changed.Name.ToUpperInvariant(), current.Name.ToUpperInvariant(), StringComparison.Ordinal) && tables.PlanNameTaken(changed.Name))
            {
                throw NetworkExtensionGuards.DuplicatePlan(changed.Name);
            }

            NetworkExtensionGuards.CheckChangedPlan(current, changed, tables.GatewaysOfPlan(current.Id));
            tables.WritePlan(changed, timeProvider.GetUtcNow(), isNew: false);
            return FindPlan(tables, changed.Name);
        });
    }

    public void RemoveHardwarePlan(string name, bool force = false) => Write(tables =>
    {
        var plan = FindPlan(tables, name);
        NetworkExtensionGuards.CheckPlanRemoval(plan, tables.Subscribers(plan.Id), force);
        tables.DeletePlan(plan.Id);
        return plan;
    });

    public IReadOnlyList<DefaultGatewayConfiguration> GetConfigurations() => Read(tables => tables.ReadConfigurations(null));

    public DefaultGatewayConfiguration GetConfiguration(string tenant) => Read(tables => FindConfiguration(tables, tenant));

    public DefaultGatewayConfiguration UpdateConfiguration(string tenant, Func<DefaultGatewayConfiguration, DefaultGatewayConfiguration> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Write(tables => ChangeConfiguration(tables, tenant, change));
    }

    public IReadOnlyList<DefaultGateway> GetDefaultGateways(string? tenant = null, string? network = null) => Read(tables =>
    {
        if (tenant is not null)
        {
            FindConfiguration(tables, tenant);
        }

        return tables.ReadGateways(tenant, network);
    });

    public DefaultGateway SetDefaultGateway(DefaultGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        NetworkExtensionGuards.CheckGatewayFields(gateway);
        return Write(tables =>
        {
            var configuration = FindConfiguration(tables, gateway.Tenant);
            var plan = configuration.HardwarePlan is null ? null : FindPlan(tables, configuration.HardwarePlan);
            var stored = NetworkExtensionGuards.CheckGateway(gateway, configuration, plan, tables.ReadGateways(configuration.Tenant, null));
            tables.WriteGateway(stored);
            return tables.ReadGateways(stored.Tenant, stored.Network).Single();
        });
    }

    public void RemoveDefaultGateway(string tenant, string network) => Write(tables =>
    {
        FindConfiguration(tables, tenant);
        return tables.DeleteGateway(tenant, network) == 0 ? throw NetworkExtensionGuards.NoGateway(tenant, network) : 0;
    });

    public abstract void Dispose();

    /// <summary>Runs <paramref name="read"/> on one consistent snapshot of the backend's tables.</summary>
    protected abstract T Read<T>(Func<INetworkExtensionTables, T> read);

    /// <summary>Runs <paramref name="write"/> in one transaction of the backend that bumps the change counter; nothing is kept when it throws.</summary>
    protected abstract T Write<T>(Func<INetworkExtensionTables, T> write);

    /// <summary>
    /// The rules of <see cref="UpdateConfiguration"/> inside a transaction the caller holds, so that another store's
    /// change can join it (Set-CloudTenant changes the tenant and its plan at once).
    /// </summary>
    internal static DefaultGatewayConfiguration ChangeConfiguration(INetworkExtensionTables tables, string tenant, Func<DefaultGatewayConfiguration, DefaultGatewayConfiguration> change)
    {
        var current = FindConfiguration(tables, tenant);
        var changed = change(current) with { Tenant = current.Tenant };
        var plan = changed.HardwarePlan is null ? null : FindPlan(tables, changed.HardwarePlan, "HardwarePlan");
        NetworkExtensionGuards.CheckConfiguration(current, changed, plan, tables.ReadGateways(current.Tenant, null));
        tables.WriteConfiguration(current.Tenant, plan?.Id, changed.RouteBetweenNetworks);
        return FindConfiguration(tables, current.Tenant);
    }

    private static HardwarePlan FindPlan(INetworkExtensionTables tables, string name, string? field = null) =>
        tables.ReadPlans(name).SingleOrDefault() ?? throw NetworkExtensionGuards.PlanNotFound(name, field);

    private static DefaultGatewayConfiguration FindConfiguration(INetworkExtensionTables tables, string tenant) =>
        tables.ReadConfigurations(tenant).SingleOrDefault() ?? throw NetworkExtensionGuards.TenantNotFound(tenant);
}
