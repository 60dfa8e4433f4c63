using System.Net.Sockets;
using CloudGateway.Protocol;
using CloudGateway.Tls;

namespace CloudGateway.Client;

/// <summary>
/// An accepted connection through a gateway: a raw byte stream to the resource. Bytes the gateway sent right
/// after its answer are returned first. <see cref="ShutdownWriteAsync"/> passes a half-close on to the resource.
/// </summary>
public sealed class GatewayStream : Stream, IGatewayConnection
{
    private readonly Socket _socket;
    private readonly TlsDuplexStream _tls;
    private ReadOnlyMemory<byte> _pending;
    private int _disposed;

    internal GatewayStream(Socket socket, TlsDuplexStream tls, ReadOnlyMemory<byte> pending, KnownGateway gateway, HelloAnswer answer)
    {
        _socket = socket;
        _tls = tls;
        _pending = pending;
        Gateway = gateway;
        Answer = answer;
        SessionId = answer.SessionId!;
    }

    /// <summary>The gateway that accepted the connection, as named in the list it answered with.</summary>
    public KnownGateway Gateway { get; internal set; }

    /// <summary>The session id the gateway gave, for matching its logs.</summary>
    public string SessionId { get; }

    /// <summary>The gateway's accepting answer (a resumable session reads its token and window there).</summary>
    internal HelloAnswer Answer { get; }

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

    /// <summary>Tells the resource that nothing more will be written (TLS close_notify, then a TCP FIN); reading goes on.</summary>
    public async Task ShutdownWriteAsync()
    {
        await _tls.ShutdownAsync().ConfigureAwait(false);
        _socket.Shutdown(SocketShutdown.Send);
    }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TakePending(buffer.Span) is var taken and > 0)
        {
            return ValueTask.FromResult(taken);
        }

        return _tls.ReadAsync(buffer, cancellationToken);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var taken = TakePending(buffer.AsSpan(offset, count));
        return taken > 0 ? taken : _tls.Read(buffer, offset, count);
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _tls.WriteAsync(buffer, cancellationToken);

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _tls.WriteAsync(buffer, offset, count, cancellationToken);

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => _tls.Write(buffer, offset, count);

    /// <inheritdoc />
    public override void Flush() => _tls.Flush();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => _tls.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _tls.Dispose();
            _socket.Dispose();
        }

        base.Dispose(disposing);
    }

    private int TakePending(Span<byte> destination)
    {
        if (_pending.IsEmpty || destination.IsEmpty)
        {
            return 0;
        }

        var count = Math.Min(destination.Length, _pending.Length);
        _pending.Span[..count].CopyTo(destination);
        _pending = _pending[count..];
        return count;
    }
}
