namespace CloudGateway.Relay.Native;

/// <summary>
/// Pinned relay buffers of one event loop (so OpenSSL and the kernel can be handed their address), kept for reuse
/// up to a bound. Used from the loop's thread only. A returned buffer is cleared up to where it was filled, so no
/// byte of one session is ever readable by the next.
/// </summary>
internal sealed class BufferPool(int bufferSize)
{
    private const int MaxKept = 64;
    private readonly Stack<byte[]> _free = new();

    private int _lent;

    public int BufferSize { get; } = bufferSize;

    /// <summary>How many buffers connections hold now (readable from any thread).</summary>
    public int Lent => Volatile.Read(ref _lent);

    public byte[] Rent()
    {
        Interlocked.Increment(ref _lent);
        return _free.TryPop(out var buffer) ? buffer : GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);
    }

    public void Return(byte[] buffer, int used)
    {
        Interlocked.Decrement(ref _lent);
        buffer.AsSpan(0, used).Clear();
        if (_free.Count < MaxKept)
        {
            _free.Push(buffer);
        }
    }
}
