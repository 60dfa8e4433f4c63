using System.Net;
using CloudGateway.Relay;

namespace CloudGateway.Hosting;

/// <summary>
/// A running relay at one moment: its state, the endpoints its listeners really bound, and its sessions and bytes,
/// in total and per gateway. "In" is from tenants to the SP.
/// </summary>
public sealed record RelayStatus
{
    /// <summary>Where the relay is in its life.</summary>
    public required RelayHostState State { get; init; }

    /// <summary>The engine relaying the connections: Native (event loops with OpenSSL) or Managed (.NET SslStream).</summary>
    public required RelayEngine Engine { get; init; }

    /// <summary>The configuration the relay serves (file path, or connection string without secrets).</summary>
    public required string StoreLocation { get; init; }

    /// <summary>When the relay started.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>The endpoints accepting tenants now.</summary>
    public required IReadOnlyList<IPEndPoint> Endpoints { get; init; }

    /// <summary>The configuration change number the relay has applied; the database's own number is Get-CloudGatewayDatabase's ChangeCounter.</summary>
    public required long ConfigurationVersion { get; init; }

    /// <summary>The gateways this relay serves that could not open their listener (a port taken, an address not on this machine).</summary>
    public required IReadOnlyList<string> NotListening { get; init; }

    /// <summary>Sessions relaying bytes now, across all gateways.</summary>
    public required int Sessions { get; init; }

    /// <summary>Resumable sessions kept, with a connection or waiting for a resume (docs/protocol.md, section 10).</summary>
    public required int ResumableSessions { get; init; }

    /// <summary>Resumable sessions waiting for their tenant to resume within the grace period; their resource connections stay open.</summary>
    public required int DetachedResumableSessions { get; init; }

    /// <summary>Bytes relayed from tenants to resources, across all gateways.</summary>
    public required long BytesIn { get; init; }

    /// <summary>Bytes relayed from resources to tenants, across all gateways.</summary>
    public required long BytesOut { get; init; }

    /// <summary>The SHA-256 thumbprint of the certificate the relay presents in new handshakes; it changes with Switch-CloudGatewayCertificate.</summary>
    public required string CertificateThumbprint { get; init; }

    /// <summary>The admin listener serving GET /metrics and /status (the port really bound), or null when metrics are not served.</summary>
    public IPEndPoint? MetricsEndPoint { get; init; }

    /// <summary>Each gateway served, with its endpoint, sessions, bytes and any bind error.</summary>
    public required IReadOnlyList<GatewayStatistics> Gateways { get; init; }

    /// <summary>Reads the current status of <paramref name="host"/>.</summary>
    public static RelayStatus Of(RelayHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var gateways = host.GetGatewayStatistics();
        return new RelayStatus
        {
            State = host.State,
            Engine = host.Engine,
            StoreLocation = host.StoreLocation,
            Started = host.Started,
            Endpoints = gateways.Where(g => g.Listening && g.LocalEndPoint is not null).Select(g => g.LocalEndPoint!).ToList(),
            ConfigurationVersion = host.ConfigurationChangeCounter,
            NotListening = gateways.Where(g => g.Error is not null).Select(g => g.Gateway).ToList(),
            Sessions = gateways.Sum(g => g.Sessions),
            ResumableSessions = host.ResumableSessionCount,
            DetachedResumableSessions = host.DetachedResumableSessionCount,
            BytesIn = gateways.Sum(g => g.BytesIn),
            BytesOut = gateways.Sum(g => g.BytesOut),
            Gateways = gateways,
            MetricsEndPoint = host.MetricsEndPoint,
            CertificateThumbprint = host.CertificateThumbprint,
        };
    }
}
