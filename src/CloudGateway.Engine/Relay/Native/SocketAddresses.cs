using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CloudGateway.Relay.Native;

/// <summary>Reads and writes Linux sockaddr_in and sockaddr_in6 structures.</summary>
internal static class SocketAddresses
{
    /// <summary>Room for either structure.</summary>
    public const int MaxLength = 28;

    /// <summary>The endpoint in <paramref name="address"/>, or null for a family other than IPv4 and IPv6.</summary>
    public static IPEndPoint? Read(ReadOnlySpan<byte> address)
    {
        var family = BinaryPrimitives.ReadUInt16LittleEndian(address);
        var port = BinaryPrimitives.ReadUInt16BigEndian(address[2..]);
        return family switch
        {
            Libc.AfInet => new IPEndPoint(new IPAddress(address.Slice(4, 4)), port),
            Libc.AfInet6 => new IPEndPoint(new IPAddress(address.Slice(8, 16), BinaryPrimitives.ReadUInt32LittleEndian(address[24..])), port),
            _ => null,
        };
    }

    /// <summary>Writes <paramref name="endPoint"/> into <paramref name="address"/> (at least <see cref="MaxLength"/> bytes) and returns its length.</summary>
    public static int Write(IPEndPoint endPoint, Span<byte> address)
    {
        address[..MaxLength].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(address[2..], (ushort)endPoint.Port);
        if (endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(address, Libc.AfInet);
            endPoint.Address.TryWriteBytes(address.Slice(4, 4), out _);
            return 16;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(address, Libc.AfInet6);
        endPoint.Address.TryWriteBytes(address.Slice(8, 16), out _);
        BinaryPrimitives.WriteUInt32LittleEndian(address[24..], (uint)endPoint.Address.ScopeId);
        return MaxLength;
    }
}
