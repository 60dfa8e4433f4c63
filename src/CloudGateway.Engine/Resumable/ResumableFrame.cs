using System.Buffers.Binary;

namespace CloudGateway.Resumable;

/// <summary>The kinds of frame a resumable session carries after its answer (docs/protocol.md, section 8).</summary>
internal enum ResumableFrameKind : byte
{
    /// <summary>Bytes of the stream, from the offset its header gives.</summary>
    Data = 1,

    /// <summary>Everything before the offset it gives has arrived (the end counts as one byte after the last).</summary>
    Ack = 2,

    /// <summary>The sender writes nothing more: its stream ends at the offset given.</summary>
    End = 3,

    /// <summary>The sender gives the session up (its application or resource broke off); the receiver ends it at once.</summary>
    Abort = 4,
}

/// <summary>
/// The binary frames of a resumable session: a kind byte, a big-endian 64-bit offset, and for data a big-endian
/// 32-bit length and that many bytes (at most <see cref="MaxPayload"/>).
/// </summary>
internal static class ResumableFrame
{
    /// <summary>The most bytes one data frame carries.</summary>
    public const int MaxPayload = 64 * 1024;

    /// <summary>The header of a data frame: kind, offset, length.</summary>
    public const int DataHeaderLength = 1 + 8 + 4;

    /// <summary>An ack, end or abort frame: kind and offset.</summary>
    public const int ControlLength = 1 + 8;

    /// <summary>Writes a data frame's header for <paramref name="length"/> bytes starting at <paramref name="offset"/>.</summary>
    public static void WriteDataHeader(Span<byte> destination, long offset, int length)
    {
        destination[0] = (byte)ResumableFrameKind.Data;
        BinaryPrimitives.WriteInt64BigEndian(destination[1..], offset);
        BinaryPrimitives.WriteInt32BigEndian(destination[9..], length);
    }

    /// <summary>Writes an ack, end or abort frame.</summary>
    public static void WriteControl(Span<byte> destination, ResumableFrameKind kind, long offset)
    {
        destination[0] = (byte)kind;
        BinaryPrimitives.WriteInt64BigEndian(destination[1..], offset);
    }

    /// <summary>
    /// Reads the header at the start of <paramref name="source"/>: false when more bytes are needed. Throws an
    /// <see cref="InvalidDataException"/> for an unknown kind, a negative offset or a length out of range.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> source, out ResumableFrameKind kind, out long offset, out int length)
    {
        kind = default;
        offset = 0;
        length = 0;
        if (source.Length < ControlLength)
        {
            return false;
        }

        kind = (ResumableFrameKind)source[0];
        if (kind is not (ResumableFrameKind.Data or ResumableFrameKind.Ack or ResumableFrameKind.End or ResumableFrameKind.Abort))
        {
            throw new InvalidDataException($"unknown resumable frame kind {source[0]}");
        }

        offset = BinaryPrimitives.ReadInt64BigEndian(source[1..]);
        if (offset < 0)
        {
            throw new InvalidDataException("a resumable frame gives a negative offset");
        }

        if (kind != ResumableFrameKind.Data)
        {
            return true;
        }

        if (source.Length < DataHeaderLength)
        {
            return false;
        }

        length = BinaryPrimitives.ReadInt32BigEndian(source[9..]);
        return length is > 0 and <= MaxPayload
            ? true
            : throw new InvalidDataException($"a data frame gives the length {length}, outside 1-{MaxPayload}");
    }
}
