using System.Buffers;

namespace CloudGateway.Resumable;

/// <summary>The frames on one transport: replaying, sending, reading, acknowledging, and noticing its end.</summary>
public sealed partial class ResumableStream
{
    private bool _completionRaised;

    // Sends again what the other side lacks, from `from` up to whatever has been written by the time it catches up,
    // then the end when written; from then on writers send their bytes themselves (the transport is live).
    private async Task ReplayAsync(Stream transport, int epoch, long from)
    {
        var frame = ArrayPool<byte>.Shared.Rent(ResumableFrame.DataHeaderLength + ResumableFrame.MaxPayload);
        try
        {
            // A peer that has this side's end already (from = end + 1) lacks nothing.
            var offset = Math.Min(from, Sent);
            var caughtUp = false;
            while (!caughtUp)
            {
                int length;
                await _sending.WaitAsync().ConfigureAwait(false);
                try
                {
                    lock (_gate)
                    {
                        if (epoch != _epoch)
                        {
                            return;
                        }

                        if (offset == _unacknowledged.End)
                        {
                            length = _writeEnded && _acknowledgedByPeer <= offset ? ResumableFrame.ControlLength : 0;
                            ResumableFrame.WriteControl(frame, ResumableFrameKind.End, offset);
                            _live = caughtUp = true;
                        }
                        else
                        {
                            var count = _unacknowledged.CopyFrom(offset, frame.AsSpan(ResumableFrame.DataHeaderLength, (int)Math.Min(ResumableFrame.MaxPayload, _unacknowledged.End - offset)));
                            ResumableFrame.WriteDataHeader(frame, offset, count);
                            offset += count;
                            length = ResumableFrame.DataHeaderLength + count;
                        }
                    }

                    if (length > 0)
                    {
                        await transport.WriteAsync(frame.AsMemory(0, length)).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _sending.Release();
                }
            }
        }
#pragma warning disable CA1031 // A background task: whatever ends it is handed on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            OnBackgroundFailure(epoch, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    private async Task SendDataAsync(Stream transport, int epoch, long offset, ReadOnlyMemory<byte> payload)
    {
        var frame = ArrayPool<byte>.Shared.Rent(ResumableFrame.DataHeaderLength + payload.Length);
        await _sending.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!IsCurrent(epoch))
            {
                return; // Replayed by the attach that replaced this transport, or sent by the next one.
            }

            ResumableFrame.WriteDataHeader(frame, offset, payload.Length);
            payload.Span.CopyTo(frame.AsSpan(ResumableFrame.DataHeaderLength));
            await transport.WriteAsync(frame.AsMemory(0, ResumableFrame.DataHeaderLength + payload.Length)).ConfigureAwait(false);
            Volatile.Write(ref _lastSpoke, _timeProvider.GetTimestamp());
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            OnTransportBroken(epoch, ex);
        }
        finally
        {
            _sending.Release();
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    private async Task SendControlAsync(Stream transport, int epoch, ResumableFrameKind kind, long offset)
    {
        var frame = new byte[ResumableFrame.ControlLength];
        ResumableFrame.WriteControl(frame, kind, offset);
        await _sending.WaitAsync().ConfigureAwait(false);
        try
        {
            if (IsCurrent(epoch))
            {
                await transport.WriteAsync(frame).ConfigureAwait(false);
                Volatile.Write(ref _lastSpoke, _timeProvider.GetTimestamp());
            }
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            OnTransportBroken(epoch, ex);
        }
        finally
        {
            _sending.Release();
        }
    }

    // What a transport throws when its connection breaks (TLS streams also throw InvalidOperationException once
    // disposed mid-operation); anything else is a fault of this code, which must fail the stream, not loop on resumes.
    private static bool IsTransportFailure(Exception ex) =>
        ex is IOException or ObjectDisposedException or NotSupportedException or InvalidOperationException or System.Net.Sockets.SocketException;

    // A transport that failed is a break to resume from; anything else is a fault of this code, which fails the stream
    // so that readers and writers hear of it.
    private void OnBackgroundFailure(int epoch, Exception ex)
    {
        if (IsTransportFailure(ex))
        {
            OnTransportBroken(epoch, ex);
        }
        else
        {
            Fail(new IOException($"The resumable stream failed: {ex.Message}", ex));
        }
    }

    private bool IsCurrent(int epoch)
    {
        lock (_gate)
        {
            return epoch == _epoch;
        }
    }

    private async Task ReadFramesAsync(Stream transport, int epoch)
    {
        // One largest frame fits: after the bytes already parsed are moved out, the rest of any frame has room.
        var buffer = ArrayPool<byte>.Shared.Rent(ResumableFrame.DataHeaderLength + ResumableFrame.MaxPayload);
        int start = 0, filled = 0;
        try
        {
            while (true)
            {
                while (ResumableFrame.TryReadHeader(buffer.AsSpan(start, filled - start), out var kind, out var offset, out var length))
                {
                    var frameLength = kind == ResumableFrameKind.Data ? ResumableFrame.DataHeaderLength + length : ResumableFrame.ControlLength;
                    if (filled - start < frameLength)
                    {
                        break;
                    }

                    if (!Receive(epoch, kind, offset, buffer.AsSpan(start + ResumableFrame.DataHeaderLength, length)))
                    {
                        return;
                    }

                    start += frameLength;
                }

                if (start > 0)
                {
                    buffer.AsSpan(start, filled - start).CopyTo(buffer);
                    (filled, start) = (filled - start, 0);
                }

                var read = await transport.ReadAsync(buffer.AsMemory(filled)).ConfigureAwait(false);
                if (read == 0)
                {
                    OnTransportBroken(epoch, null);
                    return;
                }

                Volatile.Write(ref _lastHeard, _timeProvider.GetTimestamp());

                filled += read;
            }
        }
        catch (InvalidDataException ex)
        {
            Fail(new IOException($"The other side of the resumable session broke the protocol: {ex.Message}", ex));
        }
#pragma warning disable CA1031 // A background task: whatever ends it is handed on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            OnBackgroundFailure(epoch, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Takes one frame from the transport of `epoch`; false when that transport is no longer the stream's.
    private bool Receive(int epoch, ResumableFrameKind kind, long offset, ReadOnlySpan<byte> payload)
    {
        switch (kind)
        {
            case ResumableFrameKind.Data:
                return ReceiveData(epoch, offset, payload);
            case ResumableFrameKind.Abort:
                Fail(new IOException("The other side gave the resumable session up."));
                return false;
        }

        lock (_gate)
        {
            if (epoch != _epoch)
            {
                return false;
            }

            if (kind == ResumableFrameKind.Ack)
            {
                AcknowledgedLocked(offset);
            }
            else if (!_peerEnded || offset + 1 != _received)
            {
                if (_peerEnded || offset != _received)
                {
                    throw new InvalidDataException($"the other side ends its stream at {offset}, but {_received} bytes arrived");
                }

                _peerEnded = true;
                _received = offset + 1;
                SignalLocked();
            }
        }

        if (kind == ResumableFrameKind.End)
        {
            RequestAcknowledgement();
        }

        CloseIfCompleted();
        return true;
    }

    // Data is always taken in (the other side's window bounds it), so acknowledgements behind it are never held up by
    // an application that is not reading; it is acknowledged once the application read it.
    private bool ReceiveData(int epoch, long offset, ReadOnlySpan<byte> payload)
    {
        lock (_gate)
        {
            if (epoch != _epoch)
            {
                return false;
            }

            if (_peerEnded || offset > _received)
            {
                throw new InvalidDataException($"data at offset {offset} arrived where {_received} was expected");
            }

            var skip = _received - offset;
            if (skip >= payload.Length)
            {
                return true; // Sent again after a resume: this side had it already.
            }

            _arrived.Append(payload[(int)skip..]);
            _received += payload.Length - skip;
            SignalLocked();
            return true;
        }
    }

    // The offset everything before which the application has read (the other side's end counts once read up to it).
    private long ConsumedLocked() => _received - _arrived.Count;

    // After the application read: acknowledges at once past AckEvery, else within AckDelay.
    private void Consumed()
    {
        bool due;
        lock (_gate)
        {
            due = ConsumedLocked() - _lastAckSent >= _options.AckEvery;
            if (!due && !_ackTimerArmed)
            {
                _ackTimerArmed = true;
                _ackTimer.Change(_options.AckDelay, Timeout.InfiniteTimeSpan);
            }
        }

        if (due)
        {
            RequestAcknowledgement();
        }
    }

    // Every KeepAlive: a link that brought nothing for the silence limit is broken (a path that went silent without
    // a reset would otherwise hold the session until TCP gives up, minutes later); one that carried nothing from this
    // side for a while gets an acknowledgement, so the other side hears it live.
    private void CheckLiveness()
    {
        Stream? transport;
        int epoch;
        long consumed;
        var now = _timeProvider.GetTimestamp();
        lock (_gate)
        {
            (transport, epoch, consumed) = (_transport, _epoch, ConsumedLocked());
        }

        if (transport is null)
        {
            return;
        }

        if (_timeProvider.GetElapsedTime(Volatile.Read(ref _lastHeard), now) > _options.SilenceLimit)
        {
            OnTransportBroken(epoch, new TimeoutException($"the link brought nothing for {_options.SilenceLimit.TotalSeconds:0} s"));
        }
        else if (_timeProvider.GetElapsedTime(Volatile.Read(ref _lastSpoke), now) >= _options.KeepAlive)
        {
            _ = SendControlAsync(transport, epoch, ResumableFrameKind.Ack, consumed);
        }
    }

    private void AcknowledgeIfDue()
    {
        lock (_gate)
        {
            _ackTimerArmed = false;
        }

        RequestAcknowledgement();
    }

    private void RequestAcknowledgement()
    {
        if (Interlocked.Exchange(ref _ackSending, 1) == 0)
        {
            _ = AcknowledgeAsync();
        }
    }

    // Sends the latest offset received until no newer one is waiting; one such loop runs at a time.
    private async Task AcknowledgeAsync()
    {
        while (true)
        {
            Stream? transport;
            int epoch;
            long received;
            lock (_gate)
            {
                (transport, epoch, received) = (_transport, _epoch, ConsumedLocked());
                if (transport is null || received <= _lastAckSent)
                {
                    Volatile.Write(ref _ackSending, 0);
                    return;
                }
            }

            try
            {
                await SendControlAsync(transport, epoch, ResumableFrameKind.Ack, received).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A background task: a fault of this code fails the stream, so readers and writers hear of it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Volatile.Write(ref _ackSending, 0);
                Fail(new IOException($"The resumable stream failed: {ex.Message}", ex));
                return;
            }

            lock (_gate)
            {
                if (epoch != _epoch)
                {
                    Volatile.Write(ref _ackSending, 0);
                    return;
                }

                _lastAckSent = Math.Max(_lastAckSent, received);
            }

            CloseIfCompleted();
        }
    }

    // Both ends written and acknowledged, and this side's last ack sent: the session is over and its transport closes.
    private void CloseIfCompleted()
    {
        Stream? transport;
        lock (_gate)
        {
            _completed = _completed || (_peerEnded && _writeEnded && _acknowledgedByPeer == _unacknowledged.End + 1);
            if (!_completed || _completionRaised || _lastAckSent != _received)
            {
                return;
            }

            _completionRaised = true;
            transport = _transport;
            _transport = null;
            _epoch++;
            SignalLocked();
        }

        transport?.Dispose();
        Completed?.Invoke(this);
    }

    private void OnTransportBroken(int epoch, Exception? cause)
    {
        Stream? transport;
        lock (_gate)
        {
            if (epoch != _epoch || _failure is not null || _completionRaised)
            {
                return;
            }

            transport = _transport;
            _transport = null;
            _epoch++;
            SignalLocked();
        }

        transport?.Dispose();
        Broken?.Invoke(this, cause);
    }
}
