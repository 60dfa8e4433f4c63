namespace CloudGateway.Model;

/// <summary>
/// An endpoint inside the SP's network that one tenant may reach through a gateway. The tenant sees only its name.
/// </summary>
public sealed record TenantResource
{
    /// <summary>Stable identity, kept across renames and exports.</summary>
    public Guid Id { get; init; } = Guid.NewGuid();

    /// <summary>The owning tenant's name.</summary>
    public required string Tenant { get; init; }

    /// <summary>Unique per tenant, compared without regard to case; what the tenant asks for in its hello.</summary>
    public required string Name { get; init; }

    /// <summary>The DNS name or IP address of the endpoint inside the SP's network.</summary>
    public required string TargetHost { get; init; }

    /// <summary>The endpoint's TCP port.</summary>
    public required int TargetPort { get; init; }

    /// <summary>Free text for administrators.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>When the resource was added.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the resource was last changed.</summary>
    public DateTimeOffset Modified { get; init; }
}
