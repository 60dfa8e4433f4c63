namespace CloudGateway.Networking;

/// <summary>
/// A hardware plan the SP sells: the replica networks a tenant's VMs are restored into after a failover. Each
/// network becomes one bridge on the network extension appliance, named after its VLAN id.
/// </summary>
public sealed record HardwarePlan
{
    /// <summary>The longest name a plan or one of its networks may have.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Stable identity, kept across renames.</summary>
    public Guid Id { get; init; } = Guid.NewGuid();

    /// <summary>Unique name, compared without regard to case.</summary>
    public required string Name { get; init; }

    /// <summary>Free text for administrators.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>The plan's networks, in the order they were given.</summary>
    public IReadOnlyList<PlanNetwork> Networks { get; init; } = [];

    /// <summary>The named network of this plan (case-insensitive), or null.</summary>
    public PlanNetwork? FindNetwork(string name) =>
        Networks.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase));
}
