using System.Buffers;

namespace CloudGateway.Resumable;

/// <summary>
/// Bytes of a stream between two offsets, kept in pooled 64 KiB chunks so that an idle window holds almost nothing:
/// appended at <see cref="End"/>, released or taken from <see cref="Start"/>. Not thread-safe; its owner locks.
/// </summary>
internal sealed class ByteWindow : IDisposable
{
    private const int ChunkSize = 64 * 1024;
    private readonly List<byte[]> _chunks = [];
    private int _skip;

    /// <summary>The offset of the first byte kept.</summary>
    public long Start { get; private set; }

    /// <summary>The offset after the last byte kept.</summary>
    public long End { get; private set; }

    /// <summary>How many bytes are kept.</summary>
    public long Count => End - Start;

    /// <summary>The memory the window holds now, in whole chunks.</summary>
    public long AllocatedBytes => (long)_chunks.Count * ChunkSize;

    /// <summary>Makes <paramref name="offset"/> both ends of an empty window (where a stream picks up).</summary>
    public void Reset(long offset)
    {
        ReturnAll();
        Start = End = offset;
    }

    /// <summary>Keeps a copy of <paramref name="data"/> after the last byte.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var position = (int)((End - Start + _skip) % ChunkSize);
            if (position == 0 && End - Start + _skip == (long)_chunks.Count * ChunkSize)
            {
                _chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
            }

            var count = Math.Min(ChunkSize - position, data.Length);
            data[..count].CopyTo(_chunks[^1].AsSpan(position));
            data = data[count..];
            End += count;
        }
    }

    /// <summary>Forgets every byte before <paramref name="offset"/> (no later than <see cref="End"/>).</summary>
    public void Release(long offset)
    {
        if (offset > End)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"the window ends at {End}");
        }

        if (offset <= Start)
        {
            return;
        }

        _skip += (int)Math.Min(offset - Start, int.MaxValue);
        Start = offset;
        if (Start == End)
        {
            ReturnAll();
            return;
        }

        while (_skip >= ChunkSize)
        {
            ArrayPool<byte>.Shared.Return(_chunks[0]);
            _chunks.RemoveAt(0);
            _skip -= ChunkSize;
        }
    }

    /// <summary>Copies bytes from <paramref name="offset"/> on into <paramref name="destination"/>; returns how many.</summary>
    public int CopyFrom(long offset, Span<byte> destination)
    {
        if (offset < Start || offset > End)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"the window holds {Start}-{End}");
        }

        var copied = 0;
        while (copied < destination.Length && offset < End)
        {
            var relative = offset - Start + _skip;
            var chunk = _chunks[(int)(relative / ChunkSize)];
            var position = (int)(relative % ChunkSize);
            var count = (int)Math.Min(Math.Min(ChunkSize - position, destination.Length - copied), End - offset);
            chunk.AsSpan(position, count).CopyTo(destination[copied..]);
            copied += count;
            offset += count;
        }

        return copied;
    }

    /// <summary>Copies the first bytes into <paramref name="destination"/> and forgets them; returns how many.</summary>
    public int Take(Span<byte> destination)
    {
        var count = CopyFrom(Start, destination);
        Release(Start + count);
        return count;
    }

    /// <inheritdoc />
    public void Dispose() => ReturnAll();

    private void ReturnAll()
    {
        foreach (var chunk in _chunks)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        _chunks.Clear();
        _skip = 0;
        Start = End;
    }
}
