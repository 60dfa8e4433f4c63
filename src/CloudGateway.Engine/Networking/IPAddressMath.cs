using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CloudGateway.Networking;

/// <summary>
/// Address arithmetic on plain integers: IPv4 as a big-endian <see cref="uint"/>, IPv6 as a big-endian
/// <see cref="UInt128"/>. Shifts by the full width are undefined in C# (they wrap), so /0 is handled explicitly.
/// </summary>
internal static class IPAddressMath
{
    public static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (address.AddressFamily != AddressFamily.InterNetwork || !address.TryWriteBytes(bytes, out _))
        {
            throw new ArgumentException($"{address} is not an IPv4 address.", nameof(address));
        }

        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress FromUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    public static UInt128 ToUInt128(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || !address.TryWriteBytes(bytes, out _))
        {
            throw new ArgumentException($"{address} is not an IPv6 address.", nameof(address));
        }

        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static IPAddress FromUInt128(UInt128 value)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    /// <summary>The IPv4 mask with <paramref name="prefixLength"/> leading one bits (0..32).</summary>
    public static uint MaskOfPrefix4(int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        return prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);
    }

    /// <summary>The IPv6 mask with <paramref name="prefixLength"/> leading one bits (0..128).</summary>
    public static UInt128 MaskOfPrefix6(int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 128);
        return prefixLength == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefixLength);
    }

    /// <summary>
    /// The prefix length of a dotted IPv4 mask, or null when its one bits are not contiguous from the left
    /// (255.0.255.0) or it is not an IPv4 address.
    /// </summary>
    public static int? PrefixOfMask(IPAddress mask)
    {
        if (mask.AddressFamily != AddressFamily.InterNetwork)
        {
            return null;
        }

        var hostBits = ~ToUInt32(mask);
        // The host part of a contiguous mask is 0...01...1, so adding one carries through every one bit.
        if ((hostBits & (hostBits + 1)) != 0)
        {
            return null;
        }

        return 32 - System.Numerics.BitOperations.PopCount(hostBits);
    }
}
