using System.Net;

namespace CloudGateway.Relay;

/// <summary>
/// One gateway served by a <see cref="RelayHost"/>: the endpoint it really bound (a port 0 request reports the port
/// the system chose), its live connections and sessions, and the bytes it carried. "In" is from tenants to the SP.
/// </summary>
/// <param name="Gateway">The gateway's name.</param>
/// <param name="LocalEndPoint">The endpoint the listener bound, or null when it is not listening.</param>
/// <param name="Listening">Whether the gateway accepts new connections; false while its sessions drain or when binding failed.</param>
/// <param name="Connections">Open connections, sessions and handshakes alike.</param>
/// <param name="Sessions">Sessions relaying bytes now.</param>
/// <param name="SessionsAccepted">Sessions accepted since the listener started.</param>
/// <param name="Refusals">Hellos refused since the listener started.</param>
/// <param name="BytesIn">Bytes relayed from tenants to resources.</param>
/// <param name="BytesOut">Bytes relayed from resources to tenants.</param>
/// <param name="Error">Why the listener is not listening, when binding failed; otherwise null.</param>
public sealed record GatewayStatistics(
    string Gateway,
    IPEndPoint? LocalEndPoint,
    bool Listening,
    int Connections,
    int Sessions,
    long SessionsAccepted,
    long Refusals,
    long BytesIn,
    long BytesOut,
    string? Error);
