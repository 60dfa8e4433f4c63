namespace CloudGateway.Model;

/// <summary>A named, ordered group of gateways dedicated to the tenants that are given the pool.</summary>
public sealed record GatewayPool
{
    /// <summary>Stable identity, kept across renames and exports.</summary>
    public Guid Id { get; init; } = Guid.NewGuid();

    /// <summary>Unique name, compared without regard to case.</summary>
    public required string Name { get; init; }

    /// <summary>Free text for administrators.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Member gateway names in the order tenants try them. A gateway is in at most one pool.</summary>
    public IReadOnlyList<string> Members { get; init; } = [];

    /// <summary>When the pool was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the pool was last changed.</summary>
    public DateTimeOffset Modified { get; init; }
}
