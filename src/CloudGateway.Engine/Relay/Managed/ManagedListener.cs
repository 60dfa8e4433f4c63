using System.Net.Sockets;

namespace CloudGateway.Relay.Managed;

/// <summary>
/// A gateway's accept loop on the managed engine: each accepted socket that the gateway and the host still take
/// becomes a <see cref="ManagedRelayConnection"/>. Stopping closes the listening socket, which ends the loop.
/// </summary>
internal sealed class ManagedListener : IRelayListener
{
    private readonly ConnectionContext _context;
    private readonly GatewayRuntime _gateway;
    private readonly Socket _socket;
    private readonly ManagedEngine _engine;
    private readonly CancellationTokenSource _stopAccepting = new();

    public ManagedListener(ConnectionContext context, GatewayRuntime gateway, Socket socket, ManagedEngine engine)
    {
        _context = context;
        _gateway = gateway;
        _socket = socket;
        _engine = engine;
        Stopped = AcceptLoopAsync(_stopAccepting.Token);
    }

    public Task Stopped { get; }

    public void Stop()
    {
        if (!_stopAccepting.IsCancellationRequested)
        {
            _stopAccepting.Cancel();
        }

        _socket.Dispose();
    }

    public void Dispose()
    {
        _socket.Dispose();
        _stopAccepting.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // A connection reset in the backlog, or the process out of descriptors: pause briefly, go on.
                await Task.Delay(TimeSpan.FromMilliseconds(10), _context.TimeProvider, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (!_gateway.TryAddConnection(client.RemoteEndPoint))
            {
                client.Dispose();
                continue;
            }

            StartConnection(client);
        }
    }

    private void StartConnection(Socket client)
    {
        var connections = _context.Connections;
        if (!connections.Running)
        {
            _gateway.ConnectionClosed();
            client.Dispose();
            return;
        }

        client.NoDelay = true;
        var connection = new ManagedRelayConnection(_context, _gateway, client, _engine.Tls, connections.NextId());
        connections.Add(connection);
        connection.Start();
    }
}
