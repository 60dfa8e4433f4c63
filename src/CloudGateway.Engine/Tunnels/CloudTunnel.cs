using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CloudGateway.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudGateway.Tunnels;

/// <summary>
/// A local TCP listener that carries every local connection through a gateway to one resource. Each new local
/// connection asks the <see cref="GatewayClient"/> afresh, so it fails over to another gateway when one is down;
/// a connection already running through a gateway that dies ends, as a direct connection would.
/// </summary>
public sealed class CloudTunnel : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(10);
    private readonly GatewayClient _client;
    private readonly ILogger _logger;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly ConcurrentDictionary<long, ResumableGatewayStream> _resumable = new();
    private readonly Task _acceptLoop;
    private readonly object _stopGate = new();
    private Task? _stopped;
    private long _nextConnection;
    private long _connectionCount;
    private long _activeConnections;
    private long _failedConnections;
    private long _bytesSent;
    private long _bytesReceived;
    private long _resumesEnded;
    private string? _currentGateway;
    private string? _lastError;

    private CloudTunnel(int id, string provider, string resource, bool resumable, GatewayClient client, Socket listener, TimeProvider timeProvider, ILogger logger)
    {
        Id = id;
        Resumable = resumable;
        Provider = provider;
        Resource = resource;
        _client = client;
        _listener = listener;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        Started = timeProvider.GetUtcNow();
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The tunnel's number within its registry.</summary>
    public int Id { get; }

    /// <summary>The provider whose gateways carry the tunnel.</summary>
    public string Provider { get; }

    /// <summary>The resource every local connection is carried to.</summary>
    public string Resource { get; }

    /// <summary>Whether each local connection is carried by a resumable session, which survives a broken gateway connection.</summary>
    public bool Resumable { get; }

    /// <summary>How many times the tunnel's resumable sessions were resumed after a broken connection.</summary>
    public long Resumes => Interlocked.Read(ref _resumesEnded) + _resumable.Values.Sum(s => (long)s.Resumes);

    /// <summary>The address and port actually bound (port 0 resolved).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>When the tunnel started.</summary>
    public DateTimeOffset Started { get; }

    /// <summary>Whether the tunnel still accepts local connections.</summary>
    public bool IsRunning => !_stopping.IsCancellationRequested;

    /// <summary>Local connections accepted since the start.</summary>
    public long Connections => Interlocked.Read(ref _connectionCount);

    /// <summary>Local connections open right now.</summary>
    public long ActiveConnections => Interlocked.Read(ref _activeConnections);

    /// <summary>Local connections closed because no gateway would carry them, or (resumable) whose session could not be resumed.</summary>
    public long FailedConnections => Interlocked.Read(ref _failedConnections);

    /// <summary>Bytes taken from local clients for the resource (counted as read, before they are passed on).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Bytes taken from the resource for local clients (counted as read, before they are passed on).</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>The gateway that carried the latest connection, or null before the first.</summary>
    public string? CurrentGateway => Volatile.Read(ref _currentGateway);

    /// <summary>Why the latest failed connection could not be carried, or null.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>
    /// Binds <paramref name="localEndPoint"/> (port 0 picks a free port) and starts carrying connections. Throws
    /// a validation error naming LocalPort when the endpoint cannot be bound.
    /// </summary>
    public static CloudTunnel Start(int id, string provider, string resource, GatewayClient client, IPEndPoint localEndPoint,
        TimeProvider? timeProvider = null, ILogger? logger = null, bool resumable = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(localEndPoint);
        var listener = new Socket(localEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(localEndPoint);
            listener.Listen(128);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            GatewayException.ThrowIfInvalid("The tunnel's local endpoint", localEndPoint, [new ValidationProblem("LocalPort", $"{localEndPoint} cannot be bound: {ex.SocketErrorCode}")]);
        }

        return new CloudTunnel(id, provider, resource, resumable, client, listener, timeProvider ?? TimeProvider.System, logger ?? NullLogger.Instance);
    }

    /// <summary>Stops accepting, closes every carried connection and waits (at most 10 s) for them to end. Safe to call twice.</summary>
    public Task StopAsync()
    {
        lock (_stopGate)
        {
            return _stopped ??= StopCoreAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"Tunnel {Id} {LocalEndPoint} -> {Provider}/{Resource}";

    private async Task StopCoreAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_connections.Values).WaitAsync(StopBound).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Tunnel {Id}: {Count} connections did not end within {Bound}", Id, _connections.Count, StopBound);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket local;
            try
            {
                local = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (!_stopping.IsCancellationRequested)
                {
                    _logger.LogError(ex, "Tunnel {Id} stopped accepting", Id);
                }

                return;
            }

            var number = Interlocked.Increment(ref _nextConnection);
            Interlocked.Increment(ref _connectionCount);
            var carried = CarryAsync(number, local);
            _connections[number] = carried;
            if (carried.IsCompleted)
            {
                _connections.TryRemove(number, out _);
            }
        }
    }

    private async Task CarryAsync(long number, Socket local)
    {
        await Task.Yield();
        Interlocked.Increment(ref _activeConnections);
        try
        {
            local.NoDelay = true;
            var gateway = await OpenAsync(local).ConfigureAwait(false);
            if (gateway is null)
            {
                return;
            }

            if (gateway is ResumableGatewayStream resumable)
            {
                _resumable[number] = resumable;
            }

            await using (gateway.ConfigureAwait(false))
            {
                using var localStream = new NetworkStream(local, ownsSocket: false);
                using var broken = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                var upstream = PumpAsync(localStream, gateway, ((IGatewayConnection)gateway).ShutdownWriteAsync, n => Interlocked.Add(ref _bytesSent, n), broken);
                var downstream = PumpAsync(gateway, localStream, () => ShutdownSend(local), n => Interlocked.Add(ref _bytesReceived, n), broken);
                await Task.WhenAll(upstream, downstream).ConfigureAwait(false);
            }
        }
        finally
        {
            if (_resumable.TryRemove(number, out var ended))
            {
                Interlocked.Add(ref _resumesEnded, ended.Resumes);
                if (ended.LostReason is { } lost)
                {
                    Interlocked.Increment(ref _failedConnections);
                    Volatile.Write(ref _lastError, lost);
                }
            }

            local.Dispose();
            Interlocked.Decrement(ref _activeConnections);
            _connections.TryRemove(number, out _);
        }
    }

    private static Task ShutdownSend(Socket socket)
    {
        socket.Shutdown(SocketShutdown.Send);
        return Task.CompletedTask;
    }

    private async Task<Stream?> OpenAsync(Socket local)
    {
        try
        {
            Stream gateway = Resumable
                ? await _client.OpenResumableAsync(Resource, _stopping.Token).ConfigureAwait(false)
                : await _client.OpenResourceAsync(Resource, _stopping.Token).ConfigureAwait(false);
            Volatile.Write(ref _currentGateway, ((IGatewayConnection)gateway).Gateway.Name);
            return gateway;
        }
        catch (GatewayException ex)
        {
            Interlocked.Increment(ref _failedConnections);
            Volatile.Write(ref _lastError, ex.Message);
            _logger.LogWarning("Tunnel {Id}: a connection from {Remote} could not be carried: {Failure}", Id, local.RemoteEndPoint, ex.Message);
            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    // Copies one direction; at the source's end passes the half-close on. A failure on either side cancels both
    // directions, since a connection broken one way cannot be trusted the other.
    private static async Task PumpAsync(Stream from, Stream to, Func<Task> halfClose, Action<int> counted, CancellationTokenSource broken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, broken.Token).ConfigureAwait(false)) > 0)
            {
                // Counted before the write: once a client has its bytes, the counters already show them.
                counted(read);
                await to.WriteAsync(buffer.AsMemory(0, read), broken.Token).ConfigureAwait(false);
            }

            await halfClose().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any failure (the TLS library's own exceptions included) must end both directions, never leave one waiting.
        catch (Exception)
#pragma warning restore CA1031
        {
            await broken.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
