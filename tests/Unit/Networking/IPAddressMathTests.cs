using System.Net;
using CloudGateway.Networking;

namespace CloudGateway.Tests.Networking;

public sealed class IPAddressMathTests
{
    [Theory]
    [InlineData("255.255.255.255", 32)]
    [InlineData("255.255.255.254", 31)]
    [InlineData("255.255.255.0", 24)]
    [InlineData("255.255.128.0", 17)]
    [InlineData("128.0.0.0", 1)]
    [InlineData("0.0.0.0", 0)]
    public void PrefixOfMask_ContiguousMask_ReturnsPrefix(string mask, int prefix)
    {
        Assert.Equal(prefix, IPAddressMath.PrefixOfMask(IPAddress.Parse(mask)));
    }

    [Theory]
    [InlineData("255.0.255.0")]
    [InlineData("0.255.255.255")]
    [InlineData("255.255.255.253")]
    [InlineData("254.255.255.255")]
    [InlineData("0.0.0.1")]
    public void PrefixOfMask_NonContiguousMask_ReturnsNull(string mask)
    {
        Assert.Null(IPAddressMath.PrefixOfMask(IPAddress.Parse(mask)));
    }

    [Fact]
    public void PrefixOfMask_IPv6Address_ReturnsNull()
    {
        Assert.Null(IPAddressMath.PrefixOfMask(IPAddress.Parse("ffff::")));
    }

    [Fact]
    public void PrefixOfMask_EveryPrefix_RoundTripsThroughMaskOfPrefix4()
    {
        for (var prefix = 0; prefix <= 32; prefix++)
        {
            var mask = IPAddressMath.FromUInt32(IPAddressMath.MaskOfPrefix4(prefix));
            Assert.Equal(prefix, IPAddressMath.PrefixOfMask(mask));
        }
    }

    [Theory]
    [InlineData(0, "::")]
    [InlineData(1, "8000::")]
    [InlineData(64, "ffff:ffff:ffff:ffff::")]
    [InlineData(127, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")]
    [InlineData(128, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void MaskOfPrefix6_Prefix_HasLeadingOnes(int prefix, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), IPAddressMath.FromUInt128(IPAddressMath.MaskOfPrefix6(prefix)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(33)]
    public void MaskOfPrefix4_OutOfRange_Throws(int prefix)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IPAddressMath.MaskOfPrefix4(prefix));
    }

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    public void ToUInt32_Address_RoundTrips(string text)
    {
        var address = IPAddress.Parse(text);
        Assert.Equal(address, IPAddressMath.FromUInt32(IPAddressMath.ToUInt32(address)));
    }

    [Fact]
    public void ToUInt32_Address_IsBigEndian()
    {
        Assert.Equal(0xC0000201u, IPAddressMath.ToUInt32(IPAddress.Parse("192.0.2.1")));
    }

    [Fact]
    public void ToUInt128_Address_IsBigEndianAndRoundTrips()
    {
        var address = IPAddress.Parse("2001:db8::1");
        var value = IPAddressMath.ToUInt128(address);
        Assert.Equal(new UInt128(0x20010db800000000, 1), value);
        Assert.Equal(address, IPAddressMath.FromUInt128(value));
    }

    [Fact]
    public void ToUInt32_IPv6Address_Throws()
    {
        Assert.Throws<ArgumentException>(() => IPAddressMath.ToUInt32(IPAddress.IPv6Loopback));
    }
}
