using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace CloudGateway.Relay.Managed;

/// <summary>
/// The managed relay engine (every platform): an asynchronous accept loop per gateway, and <see cref="SslStream"/>
/// with .NET's sockets for each connection. It holds nothing of its own beyond the handshake options.
/// </summary>
internal sealed class ManagedEngine(SslServerAuthenticationOptions serverAuthenticationOptions) : IRelayEngine
{
    private SslServerAuthenticationOptions _tls = serverAuthenticationOptions;

    public RelayEngine Kind => RelayEngine.Managed;

    /// <summary>The handshake options a connection accepted now uses.</summary>
    public SslServerAuthenticationOptions Tls => Volatile.Read(ref _tls);

    public void UseCertificate(X509Certificate2 certificate, SslServerAuthenticationOptions managedTls) => Volatile.Write(ref _tls, managedTls);

    public IRelayListener Listen(ConnectionContext context, GatewayRuntime gateway, Socket socket) =>
        new ManagedListener(context, gateway, socket, this);

    /// <summary>The managed engine relays on the thread pool: responsive once the pool runs a work item.</summary>
    public Task WhenResponsiveAsync() => Task.Run(static () => { });

    /// <summary>Nothing to release: each listener and connection releases its own sockets.</summary>
    public void Dispose()
    {
    }
}
