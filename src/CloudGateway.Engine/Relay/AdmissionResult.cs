using CloudGateway.Model;
using CloudGateway.Protocol;

namespace CloudGateway.Relay;

/// <summary>What admission decided for one hello: a refusal reason, or the tenant's gateway list and, for a session, its resource and counted slot.</summary>
internal readonly record struct AdmissionResult(
    string? Reason,
    Tenant? Tenant,
    TenantRuntime? Runtime,
    TenantResource? Resource,
    IReadOnlyList<GatewayEndpoint>? Gateways)
{
    public bool Accepted => Reason is null;

    public static AdmissionResult Refuse(string reason) => new(reason, null, null, null, null);
}
