using System.Net;

namespace CloudGateway.Relay;

/// <summary>A live relay session: who, to what, through which gateway, and how many bytes each way.</summary>
/// <param name="SessionId">The id sent to the tenant in the accepted answer.</param>
/// <param name="Tenant">The tenant's name.</param>
/// <param name="Resource">The resource's name.</param>
/// <param name="Gateway">The gateway the tenant connected to.</param>
/// <param name="RemoteEndPoint">The tenant's address as this host sees it.</param>
/// <param name="Started">When the session was accepted.</param>
/// <param name="BytesUp">Bytes relayed from the tenant to the resource.</param>
/// <param name="BytesDown">Bytes relayed from the resource to the tenant.</param>
/// <param name="UpRate">Bytes per second to the resource over the last sampling period (about one second).</param>
/// <param name="DownRate">Bytes per second to the tenant over the last sampling period.</param>
public sealed record RelaySessionInfo(
    string SessionId,
    string Tenant,
    string Resource,
    string Gateway,
    EndPoint? RemoteEndPoint,
    DateTimeOffset Started,
    long BytesUp,
    long BytesDown,
    double UpRate,
    double DownRate);
