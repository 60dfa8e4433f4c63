using System.Net;
using System.Net.Sockets;

namespace CloudGateway.Relay.Native;

/// <summary>
/// A gateway's listening socket shared by every event loop (EPOLLEXCLUSIVE: one loop is woken per connection);
/// the loop that accepts a connection drives it from then on. Stopping shuts the socket down at once (new connections
/// are refused) and takes it out of every loop before it is closed, so no loop can accept on a descriptor number that
/// was reused meanwhile.
/// </summary>
internal sealed unsafe class NativeListener : IRelayListener
{
    private const int AcceptBatch = 32;
    private const int ECONNABORTED = 103;
    private static readonly TimeSpan PauseAfterError = TimeSpan.FromMilliseconds(10);

    private readonly ConnectionContext _context;
    private readonly GatewayRuntime _gateway;
    private readonly NativeEngine _engine;
    private readonly Socket _socket;
    private readonly int _fd;
    private readonly Acceptor[] _acceptors;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining;
    private volatile bool _stopping;

    public NativeListener(ConnectionContext context, GatewayRuntime gateway, Socket socket, IReadOnlyList<EventLoop> loops, NativeEngine engine)
    {
        _context = context;
        _gateway = gateway;
        _engine = engine;
        _socket = socket;
        socket.Blocking = false;
        _fd = (int)socket.Handle;
        _acceptors = loops.Select(loop => new Acceptor(this, loop)).ToArray();
        foreach (var acceptor in _acceptors)
        {
            acceptor.Loop.Post(acceptor.Register);
        }
    }

    /// <summary>Completes once every loop has let go of the socket and it is closed.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Stops accepting; the socket is closed once no loop holds it. Safe to call twice.</summary>
    public void Stop()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;

        // Out of the LISTEN state at once (new connections are refused, those waiting in the backlog reset), while
        // the descriptor itself stays open until no loop holds it.
        _ = Libc.Shutdown(_fd, Libc.ShutBoth);
        _remaining = _acceptors.Length;
        foreach (var acceptor in _acceptors)
        {
            acceptor.Loop.Post(acceptor.Unregister);
        }
    }

    /// <summary>Closes the socket; the loops have let go of it by then (the host calls this once <see cref="Stopped"/> completed).</summary>
    public void Dispose() => _socket.Dispose();

    /// <summary>Takes over a socket a loop accepted; the connection runs on that loop.</summary>
    private void StartConnection(EventLoop loop, int client, EndPoint? remote)
    {
        if (!_gateway.TryAddConnection(remote))
        {
            _ = Libc.Close(client);
            return;
        }

        var connections = _context.Connections;
        if (!connections.Running)
        {
            _gateway.ConnectionClosed();
            _ = Libc.Close(client);
            return;
        }

        var connection = new NativeRelayConnection(_context, _gateway, loop, client, remote, connections.NextId());
        connections.Add(connection);
        connection.Start(_engine.Tls);
    }

    private void Released()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _socket.Dispose();
            _stopped.TrySetResult();
        }
    }

    /// <summary>The listener as seen by one loop.</summary>
    private sealed class Acceptor(NativeListener listener, EventLoop loop) : ILoopHandler
    {
        private long _token = -1;
        private ITimer? _pause;

        public EventLoop Loop { get; } = loop;

        public void Register()
        {
            if (!listener._stopping && _token < 0)
            {
                _token = Loop.Register(listener._fd, Libc.EPOLLIN | Libc.EPOLLEXCLUSIVE, this);
            }
        }

        public void Unregister()
        {
            _pause?.Dispose();
            Drop();
            listener.Released();
        }

        public void OnEvents(long token, uint events)
        {
            var address = stackalloc byte[SocketAddresses.MaxLength];
            for (var i = 0; i < AcceptBatch && !listener._stopping; i++)
            {
                var length = SocketAddresses.MaxLength;
                var fd = Libc.Accept(listener._fd, address, &length, Libc.SockNonBlock | Libc.SockCloexec);
                if (fd < 0)
                {
                    var errno = Libc.Errno;
                    if (errno is Libc.EINTR or ECONNABORTED)
                    {
                        continue;
                    }

                    if (errno != Libc.EAGAIN)
                    {
                        Pause();
                    }

                    return;
                }

                var one = 1;
                _ = Libc.SetSocketOption(fd, Libc.IpProtoTcp, Libc.TcpNoDelay, &one, sizeof(int));
                var remote = SocketAddresses.Read(new ReadOnlySpan<byte>(address, length));
                listener.StartConnection(Loop, fd, remote);
            }
        }

        // Out of descriptors or memory: the socket stays readable, so leave it alone briefly rather than spin.
        private void Pause()
        {
            Drop();
            _pause?.Dispose();
            _pause = listener._context.TimeProvider.CreateTimer(static state => ((Acceptor)state!).Loop.Post(((Acceptor)state!).Register), this, PauseAfterError, Timeout.InfiniteTimeSpan);
        }

        private void Drop()
        {
            if (_token >= 0)
            {
                Loop.Unregister(_token, listener._fd);
                _token = -1;
            }
        }
    }
}
