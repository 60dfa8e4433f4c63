namespace CloudGateway.Model;

/// <summary>
/// A customer of the SP. The password is never part of this record: the store keeps only its PBKDF2 hash.
/// </summary>
public sealed record Tenant
{
    /// <summary>The longest name a tenant may have.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Stable identity, kept across renames and exports.</summary>
    public Guid Id { get; init; } = Guid.NewGuid();

    /// <summary>Unique name, compared without regard to case; what the tenant logs on with.</summary>
    public required string Name { get; init; }

    /// <summary>Free text for administrators.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Whether the tenant may connect.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>When the tenant's lease ends, or null for never.</summary>
    public DateTimeOffset? LeaseExpiration { get; init; }

    /// <summary>Standalone gateways, or the gateways of <see cref="Pools"/>.</summary>
    public GatewaySelection GatewaySelection { get; init; } = GatewaySelection.Standalone;

    /// <summary>Pool names in the order the tenant tries them; empty for Standalone selection.</summary>
    public IReadOnlyList<string> Pools { get; init; } = [];

    /// <summary>Whether the tenant may fall back to standalone gateways when every gateway of its pools is unavailable.</summary>
    public bool GatewayFailover { get; init; }

    /// <summary>The most sessions the tenant may hold at once across all gateways; 0 for no limit.</summary>
    public int MaxConcurrentSessions { get; init; }

    /// <summary>Bytes per second from tenant to SP, shared by all the tenant's sessions; 0 for no limit.</summary>
    public long UploadBandwidth { get; init; }

    /// <summary>Bytes per second from SP to tenant, shared by all the tenant's sessions; 0 for no limit.</summary>
    public long DownloadBandwidth { get; init; }

    /// <summary>Failed logons counted in the current window.</summary>
    public int FailedLogonCount { get; init; }

    /// <summary>When the last failed logon happened, or null.</summary>
    public DateTimeOffset? LastFailedLogon { get; init; }

    /// <summary>Until when the tenant is locked out after too many failed logons, or null.</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>When the tenant was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the tenant was last changed.</summary>
    public DateTimeOffset Modified { get; init; }
}
