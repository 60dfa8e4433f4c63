using System.Net;
using System.Net.Sockets;
using CloudGateway.Protocol;

namespace CloudGateway.Relay.Native;

/// <summary>
/// A connection relayed by the native engine: OpenSSL reads and writes the client's socket directly, and every
/// step (TLS handshake, hello, connecting the resource, answer, relaying, close) runs on the connection's
/// <see cref="EventLoop"/> thread as its sockets become ready, with no task or thread hop in between. Only
/// admission (which may run PBKDF2 or write the store) and name resolution run on the thread pool; their outcome
/// comes back to the loop. Other threads end a connection only through <see cref="RelayConnection.Abort"/>.
/// </summary>
internal sealed partial class NativeRelayConnection : RelayConnection, ILoopHandler
{
    private const int LingerBytes = 64 * 1024;
    private const string Answered = "answered";

    private readonly EventLoop _loop;
    private readonly RelayDirection _up = new(upstream: true);
    private readonly RelayDirection _down = new(upstream: false);
    private readonly Action _advance;
    private readonly int _client;
    private nint _ssl;
    private long _clientToken = -1;
    private int _backend = -1;
    private long _backendToken = -1;
    private Step _step;
    private bool _clientReadable = true;
    private bool _clientWritable = true;
    private bool _backendReadable;
    private bool _backendWritable;
    private int _tlsWants;
    private bool _finishWhenAdmitted;
    private AdmissionResult _admission;
    private IPAddress[] _addresses = [];
    private int _nextAddress;
    private string? _connectError;
    private int _lingered;
    private string _closeReason = "completed";
    private Task _admissionWork = Task.CompletedTask;

    public NativeRelayConnection(ConnectionContext context, GatewayRuntime gateway, EventLoop loop, int client, EndPoint? remoteEndPoint, long id)
        : base(context, gateway, remoteEndPoint, id)
    {
        _loop = loop;
        _client = client;
        _advance = Advance;
    }

    private enum Step
    {
        Tls,
        Hello,
        Admitting,
        Connecting,
        Relaying,
        Answering,
        Lingering,
        Closed,
    }

    /// <summary>Creates the TLS session and starts the handshake. Loop thread only.</summary>
    public void Start(TlsServerContext tls)
    {
        _ssl = OpenSsl.SslNew(tls.Handle);
        if (_ssl == 0 || OpenSsl.SslSetFd(_ssl, _client) != 1)
        {
            Close("tls-unavailable", OpenSsl.TakeErrorText("SSL_new failed"));
            return;
        }

        OpenSsl.SslSetAcceptState(_ssl);
        _clientToken = _loop.Register(_client, Libc.EPOLLIN | Libc.EPOLLOUT | Libc.EPOLLRDHUP | Libc.EPOLLET, this);
        if (_clientToken < 0)
        {
            Close("epoll-failed", $"errno {Libc.Errno}");
            return;
        }

        Advance();
    }

    public void OnEvents(long token, uint events)
    {
        var readable = (events & (Libc.EPOLLIN | Libc.EPOLLRDHUP | Libc.EPOLLHUP | Libc.EPOLLERR)) != 0;
        var writable = (events & (Libc.EPOLLOUT | Libc.EPOLLHUP | Libc.EPOLLERR)) != 0;
        if (token == _clientToken)
        {
            _clientReadable |= readable;
            _clientWritable |= writable;
        }
        else if (token == _backendToken)
        {
            _backendReadable |= readable;
            _backendWritable |= writable;
        }

        Advance();
    }

    protected override void CloseTransport() => _loop.Post(() => Close(AbortReason!));

    private void Advance()
    {
        try
        {
            if (IsAborted && _step != Step.Closed)
            {
                Close(AbortReason!);
                return;
            }

            while (AdvanceOnce())
            {
            }
        }
#pragma warning disable CA1031 // One connection's unforeseen failure must end that connection only, logged, never the loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RelayLog.ConnectionFailed(Context.Logger, ex, RemoteEndPoint, Gateway.Name);
            Close("internal-error");
        }
    }

    // One step; true when the next step can go on at once.
    private bool AdvanceOnce() => _step switch
    {
        Step.Tls => Handshake(),
        Step.Hello => ReadHello(),
        Step.Connecting => FinishConnect(),
        Step.Relaying => Pump(),
        Step.Answering => Answer(),
        Step.Lingering => Linger(),
        _ => false,
    };

    private bool Handshake()
    {
        if (Blocked(_tlsWants))
        {
            return false;
        }

        OpenSsl.ClearErrors();
        var result = OpenSsl.SslDoHandshake(_ssl);
        if (result == 1)
        {
            _tlsWants = 0;
            _step = Step.Hello;
            return true;
        }

        _tlsWants = OpenSsl.SslGetError(_ssl, result);
        if (!Wait(_tlsWants))
        {
            Close("tls-handshake-failed", OpenSsl.TakeErrorText("the client closed the connection during the TLS handshake"));
        }

        return false;
    }

    private unsafe bool ReadHello()
    {
        var buffer = _up.Borrow(_loop.Buffers);
        while (true)
        {
            if (!_clientReadable)
            {
                return false;
            }

            int read;
            fixed (byte* bytes = buffer)
            {
                OpenSsl.ClearErrors();
                read = OpenSsl.SslRead(_ssl, bytes + _up.End, WireProtocol.MaxFrameBytes - _up.End);
            }

            if (read <= 0)
            {
                return ReadFailed(OpenSsl.SslGetError(_ssl, read));
            }

            var searchFrom = _up.End;
            _up.End += read;
            _up.MarkFilled();
            Hello hello;
            int frameLength;
            try
            {
                var end = FrameCodec.FindFrameEnd(buffer.AsSpan(searchFrom, _up.End - searchFrom));
                if (end < 0)
                {
                    continue;
                }

                frameLength = searchFrom + end;
                hello = FrameCodec.DecodeHello(buffer.AsSpan(0, frameLength));
            }
            catch (GatewayException ex) when (ex.Code == GatewayErrorCode.ProtocolViolation)
            {
                return RefuseBadRequest(ex.Message);
            }

            // What the client sent after the hello goes to the resource first; the hello (with its password) is wiped.
            var extra = _up.End - frameLength - 1;
            buffer.AsSpan(frameLength + 1, extra).CopyTo(buffer);
            buffer.AsSpan(extra, frameLength + 1).Clear();
            (_up.Start, _up.End) = (0, extra);
            return OnHello(hello);
        }
    }

    private bool ReadFailed(int error)
    {
        if (Wait(error))
        {
            return false;
        }

        if (error is OpenSsl.ErrorZeroReturn or OpenSsl.ErrorSyscall)
        {
            OpenSsl.ClearErrors();
            return RefuseBadRequest("the connection closed before a whole frame arrived");
        }

        Close("tls-failed", OpenSsl.TakeErrorText("TLS error"));
        return false;
    }

    private bool RefuseBadRequest(string problem)
    {
        RelayLog.RefusedBadRequest(Context.Logger, Gateway.Name, RemoteEndPoint, problem);
        return SendAnswer(RefusalAnswer(RefusalReason.BadRequest));
    }

    private bool OnHello(Hello hello)
    {
        if (RefusalBeforeAdmission(hello) is { } early)
        {
            return SendAnswer(RefusalAnswer(early));
        }

        AdmissionResult? decided = null;
        if (Context.Admission.CanAdmitAtOnce(hello))
        {
            var admitting = Context.Admission.AdmitAsync(hello, Gateway, RemoteEndPoint);
            var result = admitting.IsCompletedSuccessfully ? admitting.Result : throw new InvalidOperationException("An admission approved as immediate did not complete at once.");
            if (!result.Accepted || hello.ListOnly)
            {
                return Decide(hello.ListOnly, result, [], null);
            }

            if (IPAddress.TryParse(result.Resource!.TargetHost, out var address))
            {
                Adopt(result);
                return Decide(listOnly: false, result, [address], null);
            }

            decided = result;
        }

        _step = Step.Admitting;
        _admissionWork = Task.Run(() => AdmitAsync(hello, decided));
        return false;
    }

    // Thread pool: admission may run PBKDF2 and write the store; the resource's name may need resolving.
    private async Task AdmitAsync(Hello hello, AdmissionResult? decided)
    {
        AdmissionResult result = default;
        IPAddress[] addresses = [];
        string? resolveError = null;
        Exception? failure = null;
        try
        {
            result = decided ?? await Context.Admission.AdmitAsync(hello, Gateway, RemoteEndPoint).ConfigureAwait(false);
            if (result.Accepted && !hello.ListOnly && result.Backend is null)
            {
                (addresses, resolveError) = await ResolveAsync(result.Resource!.TargetHost).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Whatever happens is handed to the loop, which ends the connection and logs it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }

        _loop.Post(() => Admitted(hello.ListOnly, result, addresses, resolveError, failure));
    }

    private static async Task<(IPAddress[] Addresses, string? Error)> ResolveAsync(string host)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return ([literal], null);
        }

        try
        {
            var found = await Dns.GetHostAddressesAsync(host).ConfigureAwait(false);
            var usable = found.Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6).ToArray();
            return (usable, usable.Length == 0 ? $"{host} has no IPv4 or IPv6 address" : null);
        }
        catch (SocketException ex)
        {
            return ([], ex.Message);
        }
    }

    private void Admitted(bool listOnly, AdmissionResult result, IPAddress[] addresses, string? resolveError, Exception? failure)
    {
        if (failure is null && result.Accepted && !listOnly)
        {
            Adopt(result);
        }

        if (_finishWhenAdmitted || failure is not null)
        {
            result.Backend?.Dispose();
        }

        if (_finishWhenAdmitted)
        {
            CompleteFinish();
            return;
        }

        if (failure is not null)
        {
            RelayLog.ConnectionFailed(Context.Logger, failure, RemoteEndPoint, Gateway.Name);
            Close("internal-error");
            return;
        }

        Decide(listOnly, result, addresses, resolveError);
        Advance();
    }

    /// <summary>
    /// Acts on admission's decision: an answer to send, or the resource to connect (the caller has adopted an accepted
    /// session's slot). True when the next step can go on at once.
    /// </summary>
    private bool Decide(bool listOnly, AdmissionResult result, IPAddress[] addresses, string? resolveError)
    {
        if (!result.Accepted)
        {
            return SendAnswer(RefusalAnswer(result.Reason!));
        }

        if (listOnly)
        {
            return SendAnswer(GatewayListAnswer(result));
        }

        _admission = result;
        _addresses = addresses;
        _connectError = resolveError;
        StartConnect();
        return _step != Step.Connecting;
    }
}
