using System.Net;
using System.Runtime.InteropServices;
using CloudGateway.Protocol;

namespace CloudGateway.Relay.Native;

/// <summary>Connecting the resource, answering, lingering after a refusal, and closing.</summary>
internal sealed unsafe partial class NativeRelayConnection
{
    private void StartConnect()
    {
        if (_admission.Backend is { } ready)
        {
            AdoptBackend(ready);
            return;
        }

        var resource = _admission.Resource!;
        Span<byte> address = stackalloc byte[SocketAddresses.MaxLength];
        while (_nextAddress < _addresses.Length)
        {
            var endPoint = new IPEndPoint(_addresses[_nextAddress++], resource.TargetPort);
            var family = endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? Libc.AfInet : Libc.AfInet6;
            var fd = Libc.Socket(family, Libc.SockStream | Libc.SockNonBlock | Libc.SockCloexec, 0);
            if (fd < 0)
            {
                _connectError = ErrorText(Libc.Errno);
                continue;
            }

            var one = 1;
            _ = Libc.SetSocketOption(fd, Libc.IpProtoTcp, Libc.TcpNoDelay, &one, sizeof(int));
            var length = SocketAddresses.Write(endPoint, address);
            int connected;
            fixed (byte* bytes = address)
            {
                connected = Libc.Connect(fd, bytes, length);
            }

            var errno = connected == 0 ? 0 : Libc.Errno;
            var token = errno is 0 or Libc.EINPROGRESS ? _loop.Register(fd, Libc.EPOLLIN | Libc.EPOLLOUT | Libc.EPOLLRDHUP | Libc.EPOLLET, this) : -1;
            if (token < 0)
            {
                _connectError = ErrorText(errno == 0 ? Libc.Errno : errno);
                _ = Libc.Close(fd);
                continue;
            }

            (_backend, _backendToken, _backendReadable, _backendWritable) = (fd, token, false, false);
            _step = Step.Connecting;
            return;
        }

        RelayLog.RefusedResourceUnavailable(Context.Logger, _admission.Tenant!.Name, resource.Name, $"{resource.TargetHost}:{resource.TargetPort}", Gateway.Name, _connectError ?? "no address to connect to");
        SendAnswer(RefusalAnswer(RefusalReason.ResourceUnavailable));
    }

    // A backend the host connected already (a resumable session's side of its socket pair): watched like a connect
    // under way, which the first writable event finishes.
    private void AdoptBackend(System.Net.Sockets.Socket ready)
    {
        var fd = Resumable.LocalSocketPair.TakeDescriptor(ready);
        ready.Dispose();
        var token = _loop.Register(fd, Libc.EPOLLIN | Libc.EPOLLOUT | Libc.EPOLLRDHUP | Libc.EPOLLET, this);
        if (token < 0)
        {
            _ = Libc.Close(fd);
            SendAnswer(RefusalAnswer(RefusalReason.ResourceUnavailable));
            return;
        }

        (_backend, _backendToken, _backendReadable, _backendWritable) = (fd, token, false, false);
        _step = Step.Connecting;
    }

    private bool FinishConnect()
    {
        if (!_backendWritable)
        {
            return false;
        }

        int error = 0, length = sizeof(int);
        _ = Libc.GetSocketOption(_backend, Libc.SolSocket, Libc.SoError, &error, &length);
        if (error != 0)
        {
            _connectError = ErrorText(error);
            DropBackend();
            StartConnect();
            return _step != Step.Connecting;
        }

        Queue(BeginSession(_admission));
        (_admission, _addresses, _connectError, _admissionWork) = (default, [], null, Task.CompletedTask);
        _step = Step.Relaying;
        if (!EnterRelaying())
        {
            Close(AbortReason ?? "host-stopped");
            return false;
        }

        return true;
    }

    private bool SendAnswer(HelloAnswer answer)
    {
        Queue(answer);
        _step = Step.Answering;
        return true;
    }

    // The gateway's own answer goes first to the client, ahead of any relayed byte, and is not counted as relayed.
    private void Queue(HelloAnswer answer)
    {
        var length = FrameCodec.Encode(answer, _down.Borrow(_loop.Buffers));
        (_down.Start, _down.End, _down.Unmetered) = (0, length, length);
        _down.MarkFilled();
    }

    /// <summary>A refusal or gateway list: the answer, close_notify and FIN, then linger.</summary>
    private bool Answer()
    {
        if (!WriteToClient(_down) || !EndTls())
        {
            return false;
        }

        _step = Step.Lingering;
        (_up.Start, _up.End) = (0, 0);
        return true;
    }

    /// <summary>
    /// Reads and drops what the client still sends until it closes too: closing a socket with unread bytes (pipelined
    /// data after a refused hello) sends a reset that can destroy the answer before the client reads it. Bounded by
    /// the handshake timeout and by <see cref="LingerBytes"/>.
    /// </summary>
    private bool Linger()
    {
        var buffer = _up.Borrow(_loop.Buffers);
        while (_lingered < LingerBytes)
        {
            if (!_clientReadable)
            {
                return false;
            }

            nint received;
            fixed (byte* bytes = buffer)
            {
                received = Libc.Receive(_client, bytes, buffer.Length, 0);
            }

            if (received > 0)
            {
                _up.MarkWritten((int)received);
                _lingered += (int)received;
                continue;
            }

            var errno = received < 0 ? Libc.Errno : 0;
            if (errno == Libc.EAGAIN)
            {
                _clientReadable = false;
                return false;
            }

            if (errno != Libc.EINTR)
            {
                break;
            }
        }

        Close(Answered);
        return false;
    }

    /// <summary>close_notify, then FIN: the client reads the end of the stream. False while the socket is full.</summary>
    private bool EndTls()
    {
        if (_down.Ended)
        {
            return true;
        }

        OpenSsl.ClearErrors();
        var result = OpenSsl.SslShutdown(_ssl);
        if (result < 0)
        {
            if (Wait(OpenSsl.SslGetError(_ssl, result)))
            {
                return false;
            }

            OpenSsl.ClearErrors();
        }

        _ = Libc.Shutdown(_client, Libc.ShutWrite);
        _down.Ended = true;
        return true;
    }

    private void Fail(string reason)
    {
        OpenSsl.ClearErrors();
        Abort(reason);
        Close(reason);
    }

    /// <summary>Closes both sockets and the TLS session and gives the buffers back; the connection ends. Loop thread only; safe twice.</summary>
    private void Close(string reason, string? detail = null)
    {
        if (_step == Step.Closed)
        {
            return;
        }

        var admitting = _step == Step.Admitting;
        _step = Step.Closed;
        if (SessionId is null && reason != Answered)
        {
            RelayLog.HandshakeFailed(Context.Logger, RemoteEndPoint, Gateway.Name, detail ?? reason);
        }

        _up.Throttle?.Dispose();
        _down.Throttle?.Dispose();
        _loop.Unregister(_clientToken, -1);
        if (_ssl != 0)
        {
            OpenSsl.SslFree(_ssl);
            _ssl = 0;
        }

        _ = Libc.Close(_client);
        DropBackend();
        _up.Release(_loop.Buffers, closing: true);
        _down.Release(_loop.Buffers, closing: true);
        _closeReason = reason;
        if (admitting)
        {
            _finishWhenAdmitted = true;
            return;
        }

        CompleteFinish();
    }

    private void CompleteFinish() => Finish(_closeReason);

    private void DropBackend()
    {
        if (_backend < 0)
        {
            return;
        }

        _loop.Unregister(_backendToken, -1);
        _ = Libc.Close(_backend);
        (_backend, _backendToken, _backendReadable, _backendWritable) = (-1, -1, false, false);
    }

    private bool Blocked(int want) =>
        (want == OpenSsl.ErrorWantRead && !_clientReadable) || (want == OpenSsl.ErrorWantWrite && !_clientWritable);

    /// <summary>For an OpenSSL result that only means "not now": notes which readiness to wait for and returns true.</summary>
    private bool Wait(int error)
    {
        switch (error)
        {
            case OpenSsl.ErrorWantRead:
                _clientReadable = false;
                return true;
            case OpenSsl.ErrorWantWrite:
                _clientWritable = false;
                return true;
            default:
                return false;
        }
    }

    private static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
