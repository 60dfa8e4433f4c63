using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using CloudGateway.Model;
using CloudGateway.Protocol;
using CloudGateway.Tls;

namespace CloudGateway.Relay.Managed;

/// <summary>
/// A connection relayed by the managed engine (every platform): <see cref="SslStream"/> for TLS, .NET's
/// asynchronous sockets, and two <see cref="RelayPump"/> copy loops once the session is accepted.
/// </summary>
internal sealed class ManagedRelayConnection : RelayConnection
{
    private const int LingerBytes = 64 * 1024;

    private readonly Socket _client;
    private readonly SslServerAuthenticationOptions _tls;
    private Socket? _backend;
    private Task _life = Task.CompletedTask;

    public ManagedRelayConnection(ConnectionContext context, GatewayRuntime gateway, Socket client, SslServerAuthenticationOptions tls, long id)
        : base(context, gateway, client.RemoteEndPoint, id)
    {
        _client = client;
        _tls = tls;
    }

    /// <summary>Starts the connection's life (TLS, hello, relaying); its faults never escape it.</summary>
    public void Start() => _life = RunAsync();

    protected override void CloseTransport()
    {
        _client.Dispose();
        Volatile.Read(ref _backend)?.Dispose();
    }

    private async Task RunAsync()
    {
        TlsDuplexStream? tls = null;
        var closeReason = "completed";
        try
        {
            tls = new TlsDuplexStream(new NetworkStream(_client, ownsSocket: true));
            await tls.Tls.AuthenticateAsServerAsync(_tls, CancellationToken.None).ConfigureAwait(false);
            TlsBufferRelease.Apply(tls.Tls);
            var backend = await HandshakeAsync(tls.Tls).ConfigureAwait(false);
            if (backend is not null)
            {
                closeReason = await RelayAsync(tls, backend).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (RelayPump.IsConnectionError(ex))
        {
            closeReason = AbortReason ?? ex.GetType().Name;
            if (SessionId is null)
            {
                RelayLog.HandshakeFailed(Context.Logger, RemoteEndPoint, Gateway.Name, AbortReason ?? ex.Message);
            }
        }
#pragma warning disable CA1031 // One connection's unforeseen failure must end that connection only, logged, never the host.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            closeReason = "internal-error";
            RelayLog.ConnectionFailed(Context.Logger, ex, RemoteEndPoint, Gateway.Name);
        }
        finally
        {
            tls?.Dispose();
            _client.Dispose();
            Volatile.Read(ref _backend)?.Dispose();
            Finish(closeReason);
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
                RelayLog.RefusedBadRequest(Context.Logger, Gateway.Name, RemoteEndPoint, ex.Message);
                await AnswerAndCloseAsync(tls, RefusalAnswer(RefusalReason.BadRequest)).ConfigureAwait(false);
                return null;
            }

            if (RefusalBeforeAdmission(hello) is { } early)
            {
                await AnswerAndCloseAsync(tls, RefusalAnswer(early)).ConfigureAwait(false);
                return null;
            }

            var result = await Context.Admission.AdmitAsync(hello, Gateway, RemoteEndPoint).ConfigureAwait(false);
            if (!result.Accepted)
            {
                await AnswerAndCloseAsync(tls, RefusalAnswer(result.Reason!)).ConfigureAwait(false);
                return null;
            }

            if (hello.ListOnly)
            {
                await AnswerAndCloseAsync(tls, GatewayListAnswer(result)).ConfigureAwait(false);
                return null;
            }

            Adopt(result);
            var backend = result.Backend is { } ready ? TakeBackend(ready) : await ConnectAsync(result.Tenant!, result.Resource!).ConfigureAwait(false);
            if (backend is null)
            {
                await AnswerAndCloseAsync(tls, RefusalAnswer(RefusalReason.ResourceUnavailable)).ConfigureAwait(false);
                return null;
            }

            await tls.WriteAsync(FrameCodec.Encode(BeginSession(result))).ConfigureAwait(false);
            if (extra > 0)
            {
                await backend.SendAsync(buffer.AsMemory(frameLength + 1, extra), SocketFlags.None).ConfigureAwait(false);
                Relayed(extra, upstream: true);
            }

            return EnterRelaying() ? backend : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    // A backend the host connected already (a resumable session's side of its socket pair).
    private Socket TakeBackend(Socket backend)
    {
        Volatile.Write(ref _backend, backend);
        if (IsAborted)
        {
            backend.Dispose();
            throw new ObjectDisposedException(nameof(RelayConnection));
        }

        return backend;
    }

    private async Task<Socket?> ConnectAsync(Tenant tenant, TenantResource resource)
    {
        var backend = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Volatile.Write(ref _backend, backend);
        if (IsAborted)
        {
            backend.Dispose();
            throw new ObjectDisposedException(nameof(RelayConnection));
        }

        try
        {
            await backend.ConnectAsync(resource.TargetHost, resource.TargetPort).ConfigureAwait(false);
            return backend;
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException && !IsAborted)
        {
            RelayLog.RefusedResourceUnavailable(Context.Logger, tenant.Name, resource.Name, $"{resource.TargetHost}:{resource.TargetPort}", Gateway.Name, ex.Message);
            return null;
        }
    }

    private async Task<string> RelayAsync(TlsDuplexStream tls, Socket backend)
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
            return results[0] == CopyResult.Completed && results[1] == CopyResult.Completed ? "completed" : AbortReason ?? Describe(first == up, firstResult);
        }
    }

    private static ValueTask ShutdownSend(Socket socket)
    {
        socket.Shutdown(SocketShutdown.Send);
        return ValueTask.CompletedTask;
    }

    private async ValueTask EndTlsAsync(TlsDuplexStream tls)
    {
        await tls.ShutdownAsync().ConfigureAwait(false);
        _client.Shutdown(SocketShutdown.Send);
    }

    /// <summary>
    /// Sends the answer, close_notify and FIN, then reads and drops what the client still sends until it closes too:
    /// closing a socket with unread bytes (pipelined data after a refused hello) sends a reset that can destroy the
    /// answer before the client reads it. Bounded by the handshake timeout and by <see cref="LingerBytes"/>.
    /// </summary>
    private async Task AnswerAndCloseAsync(SslStream tls, HelloAnswer answer)
    {
        await tls.WriteAsync(FrameCodec.Encode(answer)).ConfigureAwait(false);
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
}
