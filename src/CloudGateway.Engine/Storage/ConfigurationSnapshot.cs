using CloudGateway.Model;

namespace CloudGateway.Storage;

/// <summary>A consistent copy of the configuration taken at one <see cref="ChangeCounter"/> value.</summary>
public sealed record ConfigurationSnapshot(
    long ChangeCounter,
    IReadOnlyList<Gateway> Gateways,
    IReadOnlyList<GatewayPool> Pools,
    IReadOnlyList<TenantCredential> Tenants,
    IReadOnlyList<TenantResource> Resources)
{
    /// <summary>The thumbprints of the gateways' certificates and what each tenant learned of the successor.</summary>
    public CertificateState Certificates { get; init; } = CertificateState.None;
}

/// <summary>A tenant with its password hash, for admission only; never written to output.</summary>
public sealed record TenantCredential(Tenant Tenant, string PasswordHash)
{
    /// <inheritdoc />
    public override string ToString() => $"TenantCredential {{ Tenant = {Tenant.Name} }}";
}
