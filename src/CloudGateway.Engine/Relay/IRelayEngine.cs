using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace CloudGateway.Relay;

/// <summary>
/// The engine that relays a host's connections: it takes over each gateway's listening socket, accepts on it and runs
/// every connection from the TLS handshake to its close. The host starts one engine and disposes it last.
/// </summary>
internal interface IRelayEngine : IDisposable
{
    /// <summary>Which engine this is, as the host reports it.</summary>
    RelayEngine Kind { get; }

    /// <summary>
    /// Presents <paramref name="certificate"/> (the managed engine: <paramref name="managedTls"/>, built for it) in every
    /// handshake that starts from now on; handshakes under way and live sessions keep the certificate they began with.
    /// </summary>
    void UseCertificate(X509Certificate2 certificate, SslServerAuthenticationOptions managedTls);

    /// <summary>Starts accepting on <paramref name="socket"/> (bound and listening) for <paramref name="gateway"/>; its connections get <paramref name="context"/>.</summary>
    IRelayListener Listen(ConnectionContext context, GatewayRuntime gateway, Socket socket);

    /// <summary>Completes once every thread the engine relays on has run a work item posted now: a stuck loop never completes it.</summary>
    Task WhenResponsiveAsync();
}
