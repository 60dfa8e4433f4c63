using System.Security.Authentication;

namespace CloudGateway.Client;

/// <summary>
/// The outcome of testing one gateway step by step: TCP, TLS (version, certificate thumbprint and expiry,
/// validation), authentication with a list-only hello, and the TCP connect latency.
/// </summary>
public sealed record GatewayProbeResult
{
    /// <summary>The provider the gateway belongs to, when tested through a stored provider.</summary>
    public string? Provider { get; init; }

    /// <summary>The gateway's name (the address for the initial contact before any list is known).</summary>
    public required string Gateway { get; init; }

    /// <summary>Address:Port tried.</summary>
    public required string Endpoint { get; init; }

    /// <summary>Whether the gateway is a standalone fallback.</summary>
    public bool Fallback { get; init; }

    /// <summary>Whether the TCP connection was established.</summary>
    public bool TcpConnected { get; init; }

    /// <summary>The time the TCP connect took, or null when it failed.</summary>
    public TimeSpan? Latency { get; init; }

    /// <summary>The negotiated TLS version, or None when TLS did not complete.</summary>
    public SslProtocols TlsProtocol { get; init; }

    /// <summary>The SHA-256 thumbprint of the certificate the gateway presented, or null.</summary>
    public string? CertificateThumbprint { get; init; }

    /// <summary>When the presented certificate expires, or null.</summary>
    public DateTimeOffset? CertificateExpires { get; init; }

    /// <summary>Whether the certificate matched the pin or the system trust store.</summary>
    public bool CertificateValid { get; init; }

    /// <summary>Whether the gateway accepted the tenant's credential.</summary>
    public bool Authenticated { get; init; }

    /// <summary>The first step that failed and why, or null.</summary>
    public string? Error { get; init; }

    /// <summary>Whether every step passed.</summary>
    public bool Passed => TcpConnected && TlsProtocol != SslProtocols.None && CertificateValid && Authenticated;
}
