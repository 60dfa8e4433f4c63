using CloudGateway.Model;
using CloudGateway.Protocol;

namespace CloudGateway.Relay;

/// <summary>
/// What admission decided for one hello: a refusal reason, or the tenant's gateway list, the successor certificate to
/// announce and, for a session, its resource, counted slot and shared lease.
/// </summary>
internal readonly record struct AdmissionResult(
    string? Reason,
    Tenant? Tenant,
    TenantRuntime? Runtime,
    TenantResource? Resource,
    IReadOnlyList<GatewayEndpoint>? Gateways,
    Guid? Lease = null,
    string? NextCertificate = null)
{
    public bool Accepted => Reason is null;

    public static AdmissionResult Refuse(string reason) => new(reason, null, null, null, null);
}
