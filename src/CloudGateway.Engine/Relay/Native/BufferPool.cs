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

    public int BufferSize { get; } = bufferSize;

    public byte[] Rent() => _free.TryPop(out var buffer) ? buffer : GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);

    public void Return(byte[] buffer, int used)
    {
        buffer.AsSpan(0, used).Clear();
        if (_free.Count < MaxKept)
        {
            _free.Push(buffer);
        }
    }
}
