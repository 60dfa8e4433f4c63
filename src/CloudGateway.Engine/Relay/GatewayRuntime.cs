using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CloudGateway.Model;

namespace CloudGateway.Relay;

/// <summary>
/// One gateway on this host: its listening socket (handed to the engine, which accepts on it), and its counters. The listener can stop
/// (gateway disabled or removed) while the gateway's sessions drain; the runtime stays until they are gone.
/// </summary>
internal sealed class GatewayRuntime : IDisposable
{
    private readonly ConnectionContext _context;
    private readonly IRelayEngine _engine;
    private IRelayListener? _listener;
    private int _connections;
    private int _sessions;
    private long _sessionsAccepted;
    private long _refusals;
    private long _bytesIn;
    private long _bytesOut;
    private readonly ConcurrentDictionary<string, long> _refusalsByReason = new(StringComparer.Ordinal);

    public GatewayRuntime(ConnectionContext context, IRelayEngine engine, Gateway gateway)
    {
        _context = context;
        _engine = engine;
        Gateway = gateway;
    }

    public Gateway Gateway { get; private set; }

    public string Name => Gateway.Name;

    public IPEndPoint? LocalEndPoint { get; private set; }

    public bool Listening { get; private set; }

    public string? Error { get; private set; }

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The gateway record this listener was started from; a changed endpoint restarts the listener.</summary>
    public void Update(Gateway gateway) => Gateway = gateway;

    public bool TryStart(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endPoint);
            socket.Listen(1024);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            Error = $"could not listen on {endPoint}: {ex.Message}";
            RelayLog.ListenerFailed(_context.Logger, Name, endPoint.ToString(), ex.Message);
            return false;
        }

        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        Listening = true;
        Error = null;
        RelayLog.ListenerStarted(_context.Logger, Name, LocalEndPoint);
        _listener = _engine.Listen(_context, this, socket);
        return true;
    }

    /// <summary>The accept loop; it ends soon after <see cref="StopAccepting"/>.</summary>
    public Task AcceptLoop => _listener?.Stopped ?? Task.CompletedTask;

    /// <summary>Stops accepting at once: the listening socket is closed. Safe to call twice.</summary>
    public void StopAccepting()
    {
        Listening = false;
        _listener?.Stop();
    }

    /// <summary>Counts a new connection unless the gateway already holds its maximum (then logs it and returns false).</summary>
    public bool TryAddConnection(EndPoint? remote)
    {
        if (Interlocked.Increment(ref _connections) <= _context.Options.MaxConnectionsPerGateway)
        {
            return true;
        }

        Interlocked.Decrement(ref _connections);
        RelayLog.GatewayFull(_context.Logger, Name, _context.Options.MaxConnectionsPerGateway, remote);
        return false;
    }

    /// <summary>Records why the gateway cannot listen.</summary>
    public void Fail(string error)
    {
        Error = error;
        RelayLog.ListenerFailed(_context.Logger, Name, Gateway.ListenAddress ?? "*", error);
    }

    /// <summary>Releases the listener once it has stopped and its accept loop has exited; returns true then.</summary>
    public bool DisposeIfDone()
    {
        if (Listening || !AcceptLoop.IsCompleted)
        {
            return false;
        }

        Dispose();
        return true;
    }

    public void Dispose() => _listener?.Dispose();

    public GatewayStatistics GetStatistics() => new(
        Name,
        Listening ? LocalEndPoint : null,
        Listening,
        Volatile.Read(ref _connections),
        Volatile.Read(ref _sessions),
        Interlocked.Read(ref _sessionsAccepted),
        Interlocked.Read(ref _refusals),
        Interlocked.Read(ref _bytesIn),
        Interlocked.Read(ref _bytesOut),
        Error);

    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    public void SessionStarted()
    {
        Interlocked.Increment(ref _sessions);
        Interlocked.Increment(ref _sessionsAccepted);
    }

    public void SessionEnded() => Interlocked.Decrement(ref _sessions);

    /// <summary>Counts one refused hello, under its reason code.</summary>
    public void Refused(string reason)
    {
        Interlocked.Increment(ref _refusals);
        _refusalsByReason.AddOrUpdate(reason, 1, static (_, count) => count + 1);
    }

    /// <summary>Hellos refused since the listener started, by reason code.</summary>
    public IReadOnlyDictionary<string, long> GetRefusalsByReason() => new SortedDictionary<string, long>(_refusalsByReason, StringComparer.Ordinal);

    public void AddBytesIn(int count) => Interlocked.Add(ref _bytesIn, count);

    public void AddBytesOut(int count) => Interlocked.Add(ref _bytesOut, count);
}
