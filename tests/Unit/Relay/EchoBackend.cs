using System.Net;
using System.Net.Sockets;

namespace CloudGateway.Tests.Relay;

/// <summary>An SP resource for tests: echoes every byte back and passes the tenant's half-close on.</summary>
internal sealed class EchoBackend : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _accepted;
    private int _open;

    public EchoBackend()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(2048);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>The connections open now (accepted and not yet closed).</summary>
    public int Open => Volatile.Read(ref _open);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(10));
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(EchoAsync(socket));
            }
        }
    }

    private async Task EchoAsync(Socket socket)
    {
        Interlocked.Increment(ref _open);
        try
        {
            using (socket)
            {
                var buffer = new byte[64 * 1024];
                try
                {
                    while (true)
                    {
                        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                        if (read == 0)
                        {
                            socket.Shutdown(SocketShutdown.Send);
                            return;
                        }

                        await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    // The relay or the test closed the connection.
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }
}
