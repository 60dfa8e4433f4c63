namespace CloudGateway.Networking;

/// <summary>
/// The rules every <see cref="INetworkExtensionStore"/> enforces, given what it read inside its transaction, so the
/// SQLite and PostgreSQL stores refuse the same changes with the same error codes, fields and messages.
/// </summary>
internal static class NetworkExtensionGuards
{
    /// <summary>A plan must be valid before it is added.</summary>
    public static void CheckNewPlan(HardwarePlan plan) =>
        GatewayException.ThrowIfInvalid($"Hardware plan '{plan.Name}'", plan.Name, NetworkExtensionValidator.Validate(plan));

    /// <summary>
    /// A changed plan must be valid and keep every network that subscribed tenants have default gateways for
    /// (<paramref name="gatewaysOfPlan"/>: tenant and network of each).
    /// </summary>
    public static void CheckChangedPlan(HardwarePlan current, HardwarePlan changed, IEnumerable<(string Tenant, string Network)> gatewaysOfPlan)
    {
        var problems = new List<ValidationProblem>(NetworkExtensionValidator.Validate(changed));
        foreach (var (tenant, network) in gatewaysOfPlan.Where(g => changed.FindNetwork(g.Network) is null))
        {
            problems.Add(new("Network", $"tenant '{tenant}' has a default gateway for network '{network}'; remove it before dropping the network from the plan."));
        }

        GatewayException.ThrowIfInvalid($"Hardware plan '{current.Name}'", current.Name, problems);
    }

    /// <summary>Another plan already has the name (ignoring case).</summary>
    public static GatewayException DuplicatePlan(string name) =>
        new(GatewayErrorCode.DuplicateName, $"A hardware plan named '{name}' already exists.", name);

    /// <summary>
    /// No plan has the name: NotFound, or ValidationFailed naming <paramref name="field"/> when the plan is a
    /// reference from another object, so the ErrorId says which parameter was wrong.
    /// </summary>
    public static GatewayException PlanNotFound(string name, string? field)
    {
        if (field is not null)
        {
            GatewayException.ThrowIfInvalid("The hardware plan", name, [new ValidationProblem(field, $"there is no hardware plan named '{name}'.")]);
        }

        return new GatewayException(GatewayErrorCode.NotFound, $"There is no hardware plan named '{name}'.", name);
    }

    /// <summary>A plan may be removed without force only when no tenant subscribes to it.</summary>
    public static void CheckPlanRemoval(HardwarePlan plan, IReadOnlyList<string> subscribers, bool force)
    {
        if (subscribers.Count > 0 && !force)
        {
            throw new GatewayException(GatewayErrorCode.HardwarePlanInUse,
                $"Hardware plan '{plan.Name}' is used by tenant(s) {string.Join(", ", subscribers.Select(s => $"'{s}'"))}; give them another plan or use -Force.", plan.Name);
        }
    }

    /// <summary>No tenant has the name.</summary>
    public static GatewayException TenantNotFound(string tenant) =>
        new(GatewayErrorCode.NotFound, $"There is no tenant named '{tenant}'.", tenant);

    /// <summary>
    /// A tenant's changed settings: the chosen <paramref name="plan"/> must have a network for each of the tenant's
    /// <paramref name="gateways"/>, and routing between networks needs networks that do not overlap.
    /// </summary>
    public static void CheckConfiguration(DefaultGatewayConfiguration current, DefaultGatewayConfiguration changed, HardwarePlan? plan, IReadOnlyList<DefaultGateway> gateways)
    {
        var problems = new List<ValidationProblem>();
        if (plan is not null)
        {
            foreach (var gateway in gateways.Where(g => plan.FindNetwork(g.Network) is null))
            {
                problems.Add(new("HardwarePlan", $"plan '{plan.Name}' has no network '{gateway.Network}', for which the tenant has a default gateway; remove that gateway first."));
            }
        }

        if (changed.RouteBetweenNetworks)
        {
            problems.AddRange(NetworkExtensionValidator.FindOverlaps(gateways, "RouteBetweenNetworks"));
        }

        GatewayException.ThrowIfInvalid($"The network extension settings of tenant '{current.Tenant}'", current.Tenant, problems);
    }

    /// <summary>A default gateway's own fields must be valid before anything is read.</summary>
    public static void CheckGatewayFields(DefaultGateway gateway) =>
        GatewayException.ThrowIfInvalid($"The default gateway of network '{gateway.Network}'", gateway.Network, NetworkExtensionValidator.Validate(gateway));

    /// <summary>
    /// The gateway as it is to be stored, spelled as the tenant and plan spell their names: its network must be one
    /// of the tenant's <paramref name="plan"/>, and with routing on it must not overlap the tenant's other
    /// <paramref name="gateways"/>.
    /// </summary>
    public static DefaultGateway CheckGateway(DefaultGateway gateway, DefaultGatewayConfiguration configuration, HardwarePlan? plan, IReadOnlyList<DefaultGateway> gateways)
    {
        var stored = gateway with { Tenant = configuration.Tenant };
        var problems = new List<ValidationProblem>();
        if (plan is not null)
        {
            if (plan.FindNetwork(gateway.Network) is { } network)
            {
                stored = stored with { Network = network.Name };
            }
            else
            {
                problems.Add(new("Network", $"'{gateway.Network}' is not a network of hardware plan '{plan.Name}' ({string.Join(", ", plan.Networks.Select(n => n.Name))})."));
            }
        }

        if (configuration.RouteBetweenNetworks)
        {
            var others = gateways.Where(g => !string.Equals(g.Network, gateway.Network, StringComparison.OrdinalIgnoreCase));
            problems.AddRange(NetworkExtensionValidator.FindOverlaps([stored, .. others], "Network"));
        }

        GatewayException.ThrowIfInvalid($"The default gateway of network '{gateway.Network}'", gateway.Network, problems);
        return stored;
    }

    /// <summary>The tenant has no gateway for the network.</summary>
    public static GatewayException NoGateway(string tenant, string network) =>
        new(GatewayErrorCode.NotFound, $"Tenant '{tenant}' has no default gateway for network '{network}'.", network);
}
