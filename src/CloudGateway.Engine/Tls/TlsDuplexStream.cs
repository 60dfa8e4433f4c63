using System.Net.Security;

namespace CloudGateway.Tls;

/// <summary>
/// A TLS connection read in one direction while the other is closed: <see cref="ShutdownAsync"/> sends close_notify
/// while a read may be decrypting. SslStream does not serialize the two, and on OpenSSL an SSL_shutdown racing an
/// SSL_read on the same connection fails ("error 5"), which left a half-closed stream hanging. Here a read holds the
/// connection's turn while it decrypts (never while it waits for the network), and the close_notify is made in its
/// own turn. Handshake and hello go through <see cref="Tls"/>; reads and the close go through this stream.
/// </summary>
internal sealed class TlsDuplexStream : Stream
{
    private readonly Turn _turn = new();

    /// <summary>Creates the TLS connection over <paramref name="transport"/> (a socket's stream, owned by it).</summary>
    public TlsDuplexStream(Stream transport)
    {
        Tls = new SslStream(new TurnTakingTransport(_turn, transport), leaveInnerStreamOpen: false);
    }

    /// <summary>The TLS connection, for its handshake and for anything done before both directions run.</summary>
    public SslStream Tls { get; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Sends close_notify (nothing more will be written), never while a read is decrypting.</summary>
    public async Task ShutdownAsync()
    {
        await _turn.TakeAsync(Holder.Shutdown, CancellationToken.None).ConfigureAwait(false);
        try
        {
            // The close_notify is made synchronously; the transport gives the turn back as soon as it is written out.
            await Tls.ShutdownAsync().ConfigureAwait(false);
        }
        finally
        {
            _turn.GiveBack(Holder.Shutdown);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _turn.TakeAsync(Holder.Reader, cancellationToken).ConfigureAwait(false);
        try
        {
            return await Tls.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.GiveBack(Holder.Reader);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        _turn.Take(Holder.Reader);
        try
        {
            return Tls.Read(buffer, offset, count);
        }
        finally
        {
            _turn.GiveBack(Holder.Reader);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        Tls.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Tls.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => Tls.Write(buffer, offset, count);

    public override void Flush() => Tls.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => Tls.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Tls.Dispose();
        }

        base.Dispose(disposing);
    }

    private enum Holder
    {
        Reader,
        Shutdown,
    }

    // Who may run OpenSSL on the connection now. Whoever clears a holder's flag releases the turn, exactly once.
    // Its semaphore never creates a wait handle, so it is not disposed: a read that ends after Dispose still gives its turn back.
#pragma warning disable CA1001
    private sealed class Turn
#pragma warning restore CA1001
    {
        private readonly SemaphoreSlim _semaphore = new(1, 1);
        private readonly int[] _holds = new int[2];

        public async Task TakeAsync(Holder holder, CancellationToken cancellationToken)
        {
            await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _holds[(int)holder], 1);
        }

        public void Take(Holder holder)
        {
            _semaphore.Wait();
            Volatile.Write(ref _holds[(int)holder], 1);
        }

        public bool Holds(Holder holder) => Volatile.Read(ref _holds[(int)holder]) == 1;

        public void GiveBack(Holder holder)
        {
            if (Interlocked.Exchange(ref _holds[(int)holder], 0) == 1)
            {
                _semaphore.Release();
            }
        }
    }

    // Beneath the SslStream: a read waiting for the network gives its turn back and takes it again to decrypt what
    // arrived; the close_notify's turn ends once its bytes are handed to the network.
    private sealed class TurnTakingTransport(Turn turn, Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var reading = turn.Holds(Holder.Reader);
            turn.GiveBack(Holder.Reader);
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (reading)
            {
                await turn.TakeAsync(Holder.Reader, CancellationToken.None).ConfigureAwait(false);
            }

            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var reading = turn.Holds(Holder.Reader);
            turn.GiveBack(Holder.Reader);
            var read = inner.Read(buffer, offset, count);
            if (reading)
            {
                turn.Take(Holder.Reader);
            }

            return read;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            turn.GiveBack(Holder.Shutdown);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count)
        {
            turn.GiveBack(Holder.Shutdown);
            inner.Write(buffer, offset, count);
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
