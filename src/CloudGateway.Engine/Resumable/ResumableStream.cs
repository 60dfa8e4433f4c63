namespace CloudGateway.Resumable;

/// <summary>
/// One side of a resumable session: a byte stream that outlives the transports carrying it. Bytes written are kept
/// until the other side acknowledges them; when a transport breaks, <see cref="Broken"/> fires, and
/// <see cref="Attach"/> on a new transport replays what the other side has not received, so the application
/// reads and writes one unbroken stream with no byte lost or repeated.
/// </summary>
public sealed partial class ResumableStream : Stream
{
    private readonly object _gate = new();
    private readonly ResumableOptions _options;
    private readonly ByteWindow _unacknowledged = new();
    private readonly ByteWindow _arrived = new();
#pragma warning disable CA2213 // Sends still under way may hold it after Dispose; without a wait handle it owns nothing to free.
    private readonly SemaphoreSlim _sending = new(1, 1);
#pragma warning restore CA2213
    private readonly ITimer _ackTimer;
    private readonly ITimer _liveness;
    private readonly TimeProvider _timeProvider;
    private long _lastHeard;
    private long _lastSpoke;
    private TaskCompletionSource _changed = NewSignal();
    private Stream? _transport;
    private int _epoch;
    private long _received;
    private long _acknowledgedByPeer;
    private long _lastAckSent;
    private int _ackSending;
    private bool _ackTimerArmed;
    private bool _live;
    private bool _writeEnded;
    private bool _peerEnded;
    private bool _completed;
    private Exception? _failure;

    /// <summary>The buffer a stream's transport reader holds while attached (one largest frame, as the shared pool rounds it).</summary>
    internal const int FixedBufferBytes = 128 * 1024;

    /// <summary>A stream with nothing sent or received yet and no transport; attach one to start.</summary>
    public ResumableStream(ResumableOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _ackTimer = _timeProvider.CreateTimer(_ => AcknowledgeIfDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _liveness = _timeProvider.CreateTimer(_ => CheckLiveness(), null, options.KeepAlive, options.KeepAlive);
    }

    /// <summary>Raised once per transport that breaks before the session completed, with what broke it (null: it was closed).</summary>
    public event Action<ResumableStream, Exception?>? Broken;

    /// <summary>Raised once both sides ended their streams and each knows the other has everything.</summary>
    public event Action<ResumableStream>? Completed;

    /// <summary>The offset of the next byte expected from the other side (its end counts as one byte): what a resume reports.</summary>
    public long Received
    {
        get
        {
            lock (_gate)
            {
                return _received;
            }
        }
    }

    /// <summary>Bytes written so far.</summary>
    public long Sent
    {
        get
        {
            lock (_gate)
            {
                return _unacknowledged.End;
            }
        }
    }

    /// <summary>Whether a transport carries the stream now.</summary>
    public bool IsAttached
    {
        get
        {
            lock (_gate)
            {
                return _transport is not null;
            }
        }
    }

    /// <summary>Whether both sides have ended and acknowledged everything.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _completed;
            }
        }
    }

    /// <summary>The memory the stream's buffers hold now.</summary>
    public long BufferedBytes
    {
        get
        {
            lock (_gate)
            {
                return _unacknowledged.AllocatedBytes + _arrived.AllocatedBytes;
            }
        }
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>
    /// Carries the stream over <paramref name="transport"/> from now on, closing the one before, if any. In the
    /// background it sends again every byte from <paramref name="peerReceived"/> (what the other side reported it has)
    /// and the end when written, then goes on with new bytes; it reads the other side's frames meanwhile. Returns
    /// <see cref="Received"/> as of the switch, for the other side to replay from. Throws an
    /// <see cref="InvalidDataException"/>, changing nothing, when this side cannot replay from there.
    /// </summary>
    public long Attach(Stream transport, long peerReceived)
    {
        ArgumentNullException.ThrowIfNull(transport);
        Stream? previous;
        int epoch;
        long received;
        lock (_gate)
        {
            ThrowIfFailed();
            var finalOffset = _unacknowledged.End + (_writeEnded ? 1 : 0);
            if (peerReceived < _unacknowledged.Start || peerReceived > finalOffset)
            {
                throw new InvalidDataException($"the offset {peerReceived} is outside the {_unacknowledged.Start}-{finalOffset} this side can replay from");
            }

            previous = _transport;
            AcknowledgedLocked(peerReceived);
            epoch = ++_epoch;
            _transport = transport;
            _live = false;
            _lastHeard = _lastSpoke = _timeProvider.GetTimestamp();
            received = _received;
            SignalLocked();
        }

        previous?.Dispose();
        _ = ReadFramesAsync(transport, epoch);
        _ = ReplayAsync(transport, epoch, peerReceived);
        return received;
    }

    /// <summary>Ends the stream with <paramref name="failure"/>: the transport is closed and every reader and writer gets it. Safe twice.</summary>
    public void Fail(Exception failure)
    {
        Stream? transport;
        lock (_gate)
        {
            if (_failure is not null || _completed)
            {
                return;
            }

            transport = FailLocked(failure);
        }

        transport?.Dispose();
    }

    /// <summary>Tells the other side the session is given up (when a transport carries it), then fails this side with <paramref name="failure"/>.</summary>
    public async Task AbortAsync(Exception failure)
    {
        Stream? transport;
        int epoch;
        lock (_gate)
        {
            (transport, epoch) = (_transport, _epoch);
        }

        if (transport is not null)
        {
            try
            {
                await SendControlAsync(transport, epoch, ResumableFrameKind.Abort, 0).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or TimeoutException)
            {
                // The other side will find the session gone when it tries to resume.
            }
        }

        Fail(failure);
    }

    /// <summary>Ends this side's stream: the other side reads its end once it has every byte before it. Reading goes on.</summary>
    public async Task ShutdownWriteAsync()
    {
        Stream? transport;
        int epoch;
        long end;
        lock (_gate)
        {
            ThrowIfFailed();
            if (_writeEnded)
            {
                return;
            }

            _writeEnded = true;
            (transport, epoch, end) = _live ? (_transport, _epoch, _unacknowledged.End) : (null, 0, 0);
        }

        if (transport is not null)
        {
            await SendControlAsync(transport, epoch, ResumableFrameKind.End, end).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            Task? changed = null;
            var count = 0;
            lock (_gate)
            {
                if (_arrived.Count > 0)
                {
                    count = _arrived.Take(buffer.Span);
                }
                else if (_peerEnded)
                {
                    return 0;
                }
                else
                {
                    ThrowIfFailed();
                    changed = _changed.Task;
                }
            }

            if (changed is null)
            {
                Consumed();
                return count;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            Task? changed = null;
            Stream? transport = null;
            int epoch = 0, count = 0;
            long offset = 0;
            lock (_gate)
            {
                ThrowIfFailed();
                if (_writeEnded)
                {
                    throw new InvalidOperationException("The stream's writing side was shut down.");
                }

                var room = _options.Window - _unacknowledged.Count;
                if (room <= 0)
                {
                    changed = _changed.Task;
                }
                else
                {
                    count = (int)Math.Min(Math.Min(room, buffer.Length), ResumableFrame.MaxPayload);
                    offset = _unacknowledged.End;
                    _unacknowledged.Append(buffer.Span[..count]);
                    (transport, epoch) = _live ? (_transport, _epoch) : (null, 0);
                }
            }

            if (changed is not null)
            {
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (transport is not null)
            {
                await SendDataAsync(transport, epoch, offset, buffer[..count]).ConfigureAwait(false);
            }

            buffer = buffer[count..];
        }
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Fail(new ObjectDisposedException(nameof(ResumableStream)));
            _ackTimer.Dispose();
            _liveness.Dispose();
            lock (_gate)
            {
                _unacknowledged.Dispose();
                _arrived.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        lock (_gate)
        {
            return $"ResumableStream {{ Sent = {_unacknowledged.End}, Acknowledged = {_acknowledgedByPeer}, Received = {_received}, Waiting = {_arrived.Count}, " +
                $"Attached = {_transport is not null}, Live = {_live}, WriteEnded = {_writeEnded}, PeerEnded = {_peerEnded}, Completed = {_completed}, Failed = {_failure is not null}, AckSending = {_ackSending}, LastAck = {_lastAckSent} }}";
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void SignalLocked()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw _failure as IOException ?? new IOException(_failure.Message, _failure);
        }
    }

    private Stream? FailLocked(Exception failure)
    {
        _failure = failure;
        var transport = _transport;
        _transport = null;
        _epoch++;
        SignalLocked();
        return transport;
    }

    private void AcknowledgedLocked(long offset)
    {
        var finalOffset = _unacknowledged.End + (_writeEnded ? 1 : 0);
        if (offset > finalOffset)
        {
            throw new InvalidDataException($"the other side acknowledges offset {offset}, beyond the {finalOffset} sent");
        }

        _acknowledgedByPeer = Math.Max(_acknowledgedByPeer, offset);
        _unacknowledged.Release(Math.Min(offset, _unacknowledged.End));
        SignalLocked();
    }
}
