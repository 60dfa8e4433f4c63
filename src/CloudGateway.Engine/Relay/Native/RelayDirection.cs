namespace CloudGateway.Relay.Native;

/// <summary>
/// One direction of a natively relayed connection: the bytes read and not yet written (buffer[Start..End)),
/// whether its source has ended and its destination been told, and whether it waits for its bandwidth bucket.
/// Holds a buffer only while it has bytes to move.
/// </summary>
internal sealed class RelayDirection(bool upstream)
{
    public bool Upstream { get; } = upstream;

    public byte[]? Buffer { get; private set; }

    public int Start { get; set; }

    public int End { get; set; }

    /// <summary>Bytes at the front that are the gateway's own (the hello answer): written, but not counted as relayed.</summary>
    public int Unmetered { get; set; }

    /// <summary>The source has no more bytes (end of stream).</summary>
    public bool SourceEnded { get; set; }

    /// <summary>The destination has been told that no more bytes will come.</summary>
    public bool Ended { get; set; }

    /// <summary>Waiting for the tenant's bandwidth bucket before writing.</summary>
    public ITimer? Throttle { get; set; }

    public int Pending => End - Start;

    private int _used;

    public byte[] Borrow(BufferPool pool) => Buffer ??= pool.Rent();

    /// <summary>Records that reads wrote up to <see cref="End"/> (what must be cleared when the buffer goes back).</summary>
    public void MarkFilled() => MarkWritten(End);

    /// <summary>Records that the first <paramref name="count"/> bytes of the buffer were written to.</summary>
    public void MarkWritten(int count) => _used = Math.Max(_used, count);

    /// <summary>Forgets written bytes: the next read starts at the front.</summary>
    public void Consumed(int count)
    {
        Start += count;
        if (Start == End)
        {
            Start = End = 0;
        }
    }

    /// <summary>Gives the buffer back (cleared) when it holds nothing, or unconditionally when <paramref name="closing"/>.</summary>
    public void Release(BufferPool pool, bool closing = false)
    {
        if (Buffer is null || (!closing && Pending > 0))
        {
            return;
        }

        pool.Return(Buffer, Math.Max(_used, End));
        Buffer = null;
        Start = End = _used = 0;
    }
}
