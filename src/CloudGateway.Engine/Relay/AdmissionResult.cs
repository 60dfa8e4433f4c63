using CloudGateway.Model;
using CloudGateway.Protocol;

namespace CloudGateway.Relay;

/// <summary>
/// What admission decided for one hello: a refusal reason, or the tenant's gateway list, the successor certificate to
/// announce and, for a session, its resource, counted slot and shared lease. A resumable session brings its
/// <see cref="Backend"/> already connected (the session's side of a local socket pair) and what its answer adds.
/// </summary>
internal readonly record struct AdmissionResult(
    string? Reason,
    Tenant? Tenant,
    TenantRuntime? Runtime,
    TenantResource? Resource,
    IReadOnlyList<GatewayEndpoint>? Gateways,
    Guid? Lease = null,
    string? NextCertificate = null,
    System.Net.Sockets.Socket? Backend = null,
    Resumption? Resumption = null)
{
    public bool Accepted => Reason is null;

    public static AdmissionResult Refuse(string reason) => new(reason, null, null, null, null);
}
