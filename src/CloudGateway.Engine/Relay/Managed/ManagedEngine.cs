using System.Net.Security;
using System.Net.Sockets;

namespace CloudGateway.Relay.Managed;

/// <summary>
/// The managed relay engine (every platform): an asynchronous accept loop per gateway, and <see cref="SslStream"/>
/// with .NET's sockets for each connection. It holds nothing of its own beyond the handshake options.
/// </summary>
internal sealed class ManagedEngine(SslServerAuthenticationOptions serverAuthenticationOptions) : IRelayEngine
{
    public RelayEngine Kind => RelayEngine.Managed;

    public IRelayListener Listen(ConnectionContext context, GatewayRuntime gateway, Socket socket) =>
        new ManagedListener(context, gateway, socket, serverAuthenticationOptions);

    /// <summary>The managed engine relays on the thread pool: responsive once the pool runs a work item.</summary>
    public Task WhenResponsiveAsync() => Task.Run(static () => { });

    /// <summary>Nothing to release: each listener and connection releases its own sockets.</summary>
    public void Dispose()
    {
    }
}
