namespace CloudGateway.Relay.Native;

/// <summary>
/// Relaying: each direction reads while its source has bytes and its buffer has room, writes while its
/// destination takes them, and holds its buffer only while bytes wait. A direction does at most
/// <see cref="Rounds"/> buffers per turn and then lets the loop serve other connections before going on.
/// </summary>
internal sealed unsafe partial class NativeRelayConnection
{
    private const int Rounds = 4;

    // Under a bandwidth limit a direction moves one TLS record's worth at a time, so limited flows stay smooth.
    private const int LimitedChunk = 16 * 1024;

    private bool Pump()
    {
        var more = PumpUp();
        if (_step != Step.Relaying)
        {
            return false;
        }

        more |= PumpDown();
        if (_step != Step.Relaying)
        {
            return false;
        }

        if (_up.Ended && _down.Ended)
        {
            Close("completed");
        }
        else if (more)
        {
            _loop.Post(_advance);
        }

        return false;
    }

    /// <summary>Tenant to resource; true when its turn ended with bytes still to move.</summary>
    private bool PumpUp()
    {
        for (var round = 0; round < Rounds; round++)
        {
            if (_up.Pending > 0 && !SendToBackend())
            {
                return false;
            }

            if (_up.SourceEnded)
            {
                if (!_up.Ended)
                {
                    _ = Libc.Shutdown(_backend, Libc.ShutWrite);
                    _up.Ended = true;
                }

                _up.Release(_loop.Buffers);
                return false;
            }

            if (!_clientReadable || !FillFromClient())
            {
                _up.Release(_loop.Buffers);
                return false;
            }

            if (_up.Pending > 0 && Throttled(_up))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Resource to tenant; true when its turn ended with bytes still to move.</summary>
    private bool PumpDown()
    {
        for (var round = 0; round < Rounds; round++)
        {
            if (_down.Pending > 0 && !WriteToClient(_down))
            {
                return false;
            }

            if (_down.SourceEnded)
            {
                if (EndTls())
                {
                    _down.Release(_loop.Buffers);
                }

                return false;
            }

            if (!_backendReadable || !FillFromBackend())
            {
                _down.Release(_loop.Buffers);
                return false;
            }

            if (_down.Pending > 0 && Throttled(_down))
            {
                return false;
            }
        }

        return true;
    }

    // False when nothing was read and nothing will be until the client is readable again (or the connection failed).
    private bool FillFromClient()
    {
        var buffer = _up.Borrow(_loop.Buffers);
        var limit = ReadLimit(_up, buffer);
        fixed (byte* bytes = buffer)
        {
            while (_up.End < limit)
            {
                OpenSsl.ClearErrors();
                var read = OpenSsl.SslRead(_ssl, bytes + _up.End, limit - _up.End);
                if (read > 0)
                {
                    _up.End += read;
                    continue;
                }

                var error = OpenSsl.SslGetError(_ssl, read);
                if (error == OpenSsl.ErrorZeroReturn)
                {
                    _up.SourceEnded = true;
                }
                else if (!Wait(error))
                {
                    Fail(Describe(upstream: true, CopyResult.SourceFailed));
                    return false;
                }

                break;
            }
        }

        _up.MarkFilled();
        if (_up.Pending > 0)
        {
            Touch();
        }

        return _up.Pending > 0 || _up.SourceEnded;
    }

    private bool FillFromBackend()
    {
        var buffer = _down.Borrow(_loop.Buffers);
        nint received;
        fixed (byte* bytes = buffer)
        {
            received = Libc.Receive(_backend, bytes + _down.End, ReadLimit(_down, buffer) - _down.End, 0);
        }

        if (received > 0)
        {
            _down.End += (int)received;
            _down.MarkFilled();
            Touch();
            return true;
        }

        if (received == 0)
        {
            _down.SourceEnded = true;
            return true;
        }

        var errno = Libc.Errno;
        if (errno == Libc.EAGAIN)
        {
            _backendReadable = false;
            return false;
        }

        if (errno != Libc.EINTR)
        {
            Fail(Describe(upstream: false, CopyResult.SourceFailed));
        }

        return false;
    }

    // True when everything pending was sent.
    private bool SendToBackend()
    {
        var buffer = _up.Buffer!;
        while (_up.Pending > 0)
        {
            if (_up.Throttle is not null || !_backendWritable)
            {
                return false;
            }

            nint sent;
            fixed (byte* bytes = buffer)
            {
                sent = Libc.Send(_backend, bytes + _up.Start, _up.Pending, Libc.MsgNoSignal);
            }

            if (sent > 0)
            {
                Sent(_up, (int)sent);
                continue;
            }

            var errno = Libc.Errno;
            if (errno == Libc.EAGAIN)
            {
                _backendWritable = false;
                return false;
            }

            if (errno != Libc.EINTR)
            {
                Fail(Describe(upstream: true, CopyResult.DestinationFailed));
                return false;
            }
        }

        return true;
    }

    // True when everything pending was written.
    private bool WriteToClient(RelayDirection direction)
    {
        var buffer = direction.Buffer!;
        while (direction.Pending > 0)
        {
            if (direction.Throttle is not null || !_clientWritable)
            {
                return false;
            }

            int written;
            fixed (byte* bytes = buffer)
            {
                OpenSsl.ClearErrors();
                written = OpenSsl.SslWrite(_ssl, bytes + direction.Start, direction.Pending);
            }

            if (written > 0)
            {
                Sent(direction, written);
                continue;
            }

            if (!Wait(OpenSsl.SslGetError(_ssl, written)))
            {
                Fail(Describe(upstream: false, CopyResult.DestinationFailed));
            }

            return false;
        }

        return true;
    }

    private int ReadLimit(RelayDirection direction, byte[] buffer) =>
        (direction.Upstream ? Runtime!.Upload : Runtime!.Download).Rate > 0 ? Math.Min(buffer.Length, direction.End + LimitedChunk) : buffer.Length;

    private void Sent(RelayDirection direction, int count)
    {
        var own = Math.Min(count, direction.Unmetered);
        direction.Unmetered -= own;
        if (count > own)
        {
            Relayed(count - own, direction.Upstream);
        }

        direction.Consumed(count);
    }

    /// <summary>Takes the bytes just read from the tenant's bucket; when that puts it in debt, holds the direction until the debt is paid.</summary>
    private bool Throttled(RelayDirection direction)
    {
        var bucket = direction.Upstream ? Runtime!.Upload : Runtime!.Download;
        if (bucket.Rate <= 0 || direction.Unmetered > 0)
        {
            return false;
        }

        var wait = bucket.Take(direction.Pending);
        if (wait <= TimeSpan.Zero)
        {
            return false;
        }

        direction.Throttle = TimeProvider.CreateTimer(
            static state =>
            {
                var (connection, held) = ((NativeRelayConnection, RelayDirection))state!;
                connection._loop.Post(() => connection.Unthrottle(held));
            },
            (this, direction),
            wait,
            Timeout.InfiniteTimeSpan);
        return true;
    }

    private void Unthrottle(RelayDirection direction)
    {
        direction.Throttle?.Dispose();
        direction.Throttle = null;
        Advance();
    }
}
