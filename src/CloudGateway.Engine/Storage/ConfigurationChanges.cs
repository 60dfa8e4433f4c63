using CloudGateway.Model;

namespace CloudGateway.Storage;

/// <summary>
/// What a relay needs to bring its configuration from one change counter value to <see cref="ChangeCounter"/>: the
/// gateways, pools and certificates whole (they are few), and only the tenants and resources written since, with the
/// ids of those removed since. Applying it costs what changed, not the size of the estate.
/// </summary>
public sealed record ConfigurationChanges(
    long ChangeCounter,
    IReadOnlyList<Gateway> Gateways,
    IReadOnlyList<GatewayPool> Pools,
    IReadOnlyList<TenantCredential> Tenants,
    IReadOnlyList<TenantResource> Resources,
    IReadOnlyList<Guid> RemovedTenants,
    IReadOnlyList<Guid> RemovedResources)
{
    /// <summary>The thumbprints of the gateways' certificates and what each tenant learned of the successor.</summary>
    public CertificateState Certificates { get; init; } = CertificateState.None;
}
