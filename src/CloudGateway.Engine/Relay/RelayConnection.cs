using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using CloudGateway.Model;
using CloudGateway.Protocol;

namespace CloudGateway.Relay;

/// <summary>
/// One accepted connection: TLS, the hello, admission, and then the session's two copy loops. Timeouts are
/// enforced by the host's sweeper (<see cref="CheckTimeouts"/>), which closes the sockets, so a connection needs
/// no timer or cancellation source of its own.
/// </summary>
internal sealed class RelayConnection
{
    private const int Handshaking = 0;
    private const int Relaying = 1;
    private const int Ended = 2;
    private const int LingerBytes = 64 * 1024;

    private readonly RelayHost _host;
    private readonly Socket _client;
    private readonly long _acceptedAt;
    private Socket? _backend;
    private int _phase;
    private int _aborted;
    private string? _abortReason;
    private Guid? _lease;
    private long _lastActivity;
    private long _drainDeadline = long.MaxValue;
    private long _bytesUp;
    private long _bytesDown;
    private long _sampleAt;
    private long _sampleUp;
    private long _sampleDown;
    private double _upRate;
    private double _downRate;

    public RelayConnection(RelayHost host, GatewayRuntime gateway, Socket client, long id)
    {
        _host = host;
        Gateway = gateway;
        _client = client;
        Id = id;
        _acceptedAt = host.TimeProvider.GetTimestamp();
        RemoteEndPoint = client.RemoteEndPoint;
    }

    public long Id { get; }

    public GatewayRuntime Gateway { get; }

    public EndPoint? RemoteEndPoint { get; }

    public TimeProvider TimeProvider => _host.TimeProvider;

    public TenantRuntime? Runtime { get; private set; }

    public string? SessionId { get; private set; }

    public string? ResourceName { get; private set; }

    public DateTimeOffset Started { get; private set; }

    /// <summary>The connection's whole life; faults never escape it.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public bool IsSession => Volatile.Read(ref _phase) == Relaying;

    public bool IsHandshaking => Volatile.Read(ref _phase) == Handshaking;

    public void Touch() => Volatile.Write(ref _lastActivity, TimeProvider.GetTimestamp());

    public void Relayed(int count, bool upstream)
    {
        if (upstream)
        {
            Volatile.Write(ref _bytesUp, _bytesUp + count);
            Gateway.AddBytesIn(count);
        }
        else
        {
            Volatile.Write(ref _bytesDown, _bytesDown + count);
            Gateway.AddBytesOut(count);
        }

        Touch();
    }

    /// <summary>Closes both sockets; the pending reads and writes fail and the connection ends. Safe to call twice.</summary>
    public void Abort(string reason)
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        _abortReason = reason;
        _client.Dispose();
        Volatile.Read(ref _backend)?.Dispose();
    }

    /// <summary>Sessions of a stopped gateway may go on until this moment.</summary>
    public void SetDrainDeadline(long timestamp) => Interlocked.CompareExchange(ref _drainDeadline, timestamp, long.MaxValue);

    public void CheckTimeouts(long now)
    {
        var options = _host.Options;
        switch (Volatile.Read(ref _phase))
        {
            case Handshaking when TimeProvider.GetElapsedTime(_acceptedAt, now) > options.HandshakeTimeout:
                Abort("handshake-timeout");
                return;
            case Relaying when TimeProvider.GetElapsedTime(Volatile.Read(ref _lastActivity), now) > options.IdleTimeout:
                Abort("idle-timeout");
                return;
            case Relaying:
                SampleRates(now);
                break;
        }

        if (now >= Interlocked.Read(ref _drainDeadline))
        {
            Abort("drain-timeout");
        }
    }

    public RelaySessionInfo ToInfo() => new(
        SessionId!,
        Runtime!.Name,
        ResourceName!,
        Gateway.Name,
        RemoteEndPoint,
        Started,
        Volatile.Read(ref _bytesUp),
        Volatile.Read(ref _bytesDown),
        Volatile.Read(ref _upRate),
        Volatile.Read(ref _downRate));

    public void Start() => Completion = RunAsync();

    private async Task RunAsync()
    {
        SslStream? tls = null;
        var closeReason = "completed";
        try
        {
            tls = new SslStream(new NetworkStream(_client, ownsSocket: true), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsServerAsync(_host.ServerAuthenticationOptions, CancellationToken.None).ConfigureAwait(false);
            TlsBufferRelease.Apply(tls);
            var backend = await HandshakeAsync(tls).ConfigureAwait(false);
            if (backend is not null)
            {
                closeReason = await RelayAsync(tls, backend).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (RelayPump.IsConnectionError(ex))
        {
            closeReason = _abortReason ?? ex.GetType().Name;
            if (SessionId is null)
            {
                RelayLog.HandshakeFailed(_host.Logger, RemoteEndPoint, Gateway.Name, _abortReason ?? ex.Message);
            }
        }
#pragma warning disable CA1031 // One connection's unforeseen failure must end that connection only, logged, never the host.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            closeReason = "internal-error";
            RelayLog.ConnectionFailed(_host.Logger, ex, RemoteEndPoint, Gateway.Name);
        }
        finally
        {
            var wasSession = Interlocked.Exchange(ref _phase, Ended) == Relaying;
            tls?.Dispose();
            _client.Dispose();
            Volatile.Read(ref _backend)?.Dispose();
            if (Runtime is not null)
            {
                Runtime.RemoveSession();
                _host.SharedSessions.Release(_lease);
            }

            if (wasSession)
            {
                Gateway.SessionEnded();
                RelayLog.SessionClosed(_host.Logger, SessionId!, _abortReason ?? closeReason, Volatile.Read(ref _bytesUp), Volatile.Read(ref _bytesDown));
            }

            Gateway.ConnectionClosed();
            _host.ConnectionEnded(this);
        }
    }

    private async Task<Socket?> HandshakeAsync(SslStream tls)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(WireProtocol.MaxFrameBytes);
        try
        {
            int frameLength;
            int extra;
            Hello hello;
            try
            {
                (frameLength, extra) = await FrameCodec.ReadFrameAsync(tls, buffer, CancellationToken.None).ConfigureAwait(false);
                hello = FrameCodec.DecodeHello(buffer.AsSpan(0, frameLength));
            }
            catch (GatewayException ex) when (ex.Code == GatewayErrorCode.ProtocolViolation)
            {
                RelayLog.RefusedBadRequest(_host.Logger, Gateway.Name, RemoteEndPoint, ex.Message);
                await RefuseAsync(tls, RefusalReason.BadRequest).ConfigureAwait(false);
                return null;
            }

            if (!Gateway.Listening || _host.State != RelayHostState.Running)
            {
                RelayLog.RefusedGatewayBusy(_host.Logger, hello.Tenant, Gateway.Name, RemoteEndPoint);
                await RefuseAsync(tls, RefusalReason.GatewayBusy).ConfigureAwait(false);
                return null;
            }

            var result = _host.Admit(hello, Gateway, RemoteEndPoint);
            if (!result.Accepted)
            {
                await RefuseAsync(tls, result.Reason!).ConfigureAwait(false);
                return null;
            }

            if (hello.ListOnly)
            {
                await tls.WriteAsync(FrameCodec.Encode(HelloAnswer.Accept(NewSessionId(), result.Gateways!))).ConfigureAwait(false);
                RelayLog.GatewayListSent(_host.Logger, result.Tenant!.Name, Gateway.Name, RemoteEndPoint);
                await CloseAfterAnswerAsync(tls).ConfigureAwait(false);
                return null;
            }

            Runtime = result.Runtime;
            _lease = result.Lease;
            var backend = await ConnectAsync(result.Tenant!, result.Resource!).ConfigureAwait(false);
            if (backend is null)
            {
                await RefuseAsync(tls, RefusalReason.ResourceUnavailable).ConfigureAwait(false);
                return null;
            }

            SessionId = NewSessionId();
            ResourceName = result.Resource!.Name;
            Started = TimeProvider.GetUtcNow();
            Touch();
            await tls.WriteAsync(FrameCodec.Encode(HelloAnswer.Accept(SessionId, result.Gateways!))).ConfigureAwait(false);
            if (extra > 0)
            {
                await backend.SendAsync(buffer.AsMemory(frameLength + 1, extra), SocketFlags.None).ConfigureAwait(false);
                Relayed(extra, upstream: true);
            }

            if (Interlocked.CompareExchange(ref _phase, Relaying, Handshaking) != Handshaking)
            {
                return null;
            }

            Gateway.SessionStarted();
            RelayLog.SessionAccepted(_host.Logger, SessionId, Runtime!.Name, ResourceName, Gateway.Name, RemoteEndPoint);
            return backend;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    private async Task<Socket?> ConnectAsync(Tenant tenant, TenantResource resource)
    {
        var backend = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Volatile.Write(ref _backend, backend);
        if (Volatile.Read(ref _aborted) != 0)
        {
            backend.Dispose();
            throw new ObjectDisposedException(nameof(RelayConnection));
        }

        try
        {
            await backend.ConnectAsync(resource.TargetHost, resource.TargetPort).ConfigureAwait(false);
            return backend;
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException && Volatile.Read(ref _aborted) == 0)
        {
            RelayLog.RefusedResourceUnavailable(_host.Logger, tenant.Name, resource.Name, $"{resource.TargetHost}:{resource.TargetPort}", Gateway.Name, ex.Message);
            return null;
        }
    }

    private async Task<string> RelayAsync(SslStream tls, Socket backend)
    {
        var backendStream = new NetworkStream(backend, ownsSocket: true);
        await using (backendStream.ConfigureAwait(false))
        {
            var up = RelayPump.CopyAsync(tls, backendStream, () => ShutdownSend(backend), this, upstream: true);
            var down = RelayPump.CopyAsync(backendStream, tls, () => EndTlsAsync(tls), this, upstream: false);
            var first = await Task.WhenAny(up, down).ConfigureAwait(false);
            var firstResult = await first.ConfigureAwait(false);
            if (firstResult != CopyResult.Completed)
            {
                Abort(Describe(first == up, firstResult));
            }

            var results = await Task.WhenAll(up, down).ConfigureAwait(false);
            return results[0] == CopyResult.Completed && results[1] == CopyResult.Completed ? "completed" : _abortReason ?? Describe(first == up, firstResult);
        }
    }

    private static string Describe(bool upstream, CopyResult result) => (upstream, result) switch
    {
        (true, CopyResult.SourceFailed) or (false, CopyResult.DestinationFailed) => "tenant-connection-failed",
        _ => "resource-connection-failed",
    };

    private static ValueTask ShutdownSend(Socket socket)
    {
        socket.Shutdown(SocketShutdown.Send);
        return ValueTask.CompletedTask;
    }

    private async ValueTask EndTlsAsync(SslStream tls)
    {
        await tls.ShutdownAsync().ConfigureAwait(false);
        _client.Shutdown(SocketShutdown.Send);
    }

    private async Task RefuseAsync(SslStream tls, string reason)
    {
        Gateway.Refused();
        await tls.WriteAsync(FrameCodec.Encode(HelloAnswer.Refuse(reason))).ConfigureAwait(false);
        await CloseAfterAnswerAsync(tls).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends close_notify and FIN, then reads and drops what the client still sends until it closes too: closing
    /// a socket with unread bytes (pipelined data after a refused hello) sends a reset that can destroy the answer
    /// before the client reads it. Bounded by the handshake timeout and by <see cref="LingerBytes"/>.
    /// </summary>
    private async Task CloseAfterAnswerAsync(SslStream tls)
    {
        await tls.ShutdownAsync().ConfigureAwait(false);
        _client.Shutdown(SocketShutdown.Send);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var total = 0;
            int read;
            while (total < LingerBytes && (read = await _client.ReceiveAsync(buffer.AsMemory(0, 4096), SocketFlags.None).ConfigureAwait(false)) > 0)
            {
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    private void SampleRates(long now)
    {
        var elapsed = TimeProvider.GetElapsedTime(_sampleAt == 0 ? _acceptedAt : _sampleAt, now).TotalSeconds;
        if (elapsed < 0.5)
        {
            return;
        }

        var up = Volatile.Read(ref _bytesUp);
        var down = Volatile.Read(ref _bytesDown);
        Volatile.Write(ref _upRate, (up - _sampleUp) / elapsed);
        Volatile.Write(ref _downRate, (down - _sampleDown) / elapsed);
        (_sampleAt, _sampleUp, _sampleDown) = (now, up, down);
    }

    private static string NewSessionId() => Guid.NewGuid().ToString("N");
}
