using System.Net;
using CloudGateway.Networking;

namespace CloudGateway.Tests.Networking;

public sealed class IPSubnetTests
{
    [Theory]
    [InlineData("192.0.2.77", 24, "192.0.2.0", "192.0.2.255")]
    [InlineData("192.0.2.77", 25, "192.0.2.0", "192.0.2.127")]
    [InlineData("192.0.2.77", 31, "192.0.2.76", "192.0.2.77")]
    [InlineData("192.0.2.77", 32, "192.0.2.77", "192.0.2.77")]
    [InlineData("192.0.2.77", 0, "0.0.0.0", "255.255.255.255")]
    [InlineData("2001:db8:1:2::5", 64, "2001:db8:1:2::", "2001:db8:1:2:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8::5", 127, "2001:db8::4", "2001:db8::5")]
    [InlineData("2001:db8::5", 128, "2001:db8::5", "2001:db8::5")]
    [InlineData("2001:db8::5", 0, "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void Containing_Address_ClearsHostBits(string address, int prefix, string network, string last)
    {
        var subnet = IPSubnet.Containing(IPAddress.Parse(address), prefix);
        Assert.Equal(IPAddress.Parse(network), subnet.Network);
        Assert.Equal(IPAddress.Parse(last), subnet.Last);
        Assert.Equal($"{network}/{prefix}", subnet.ToString());
    }

    [Theory]
    [InlineData("192.0.2.0", 24, "192.0.2.255", true)]
    [InlineData("192.0.2.0", 24, "192.0.3.0", false)]
    [InlineData("192.0.2.0", 0, "203.0.113.9", true)]
    [InlineData("192.0.2.8", 32, "192.0.2.8", true)]
    [InlineData("192.0.2.8", 32, "192.0.2.9", false)]
    [InlineData("192.0.2.0", 24, "2001:db8::1", false)]
    [InlineData("2001:db8::", 64, "2001:db8::ffff", true)]
    [InlineData("2001:db8::", 64, "2001:db8:0:1::", false)]
    [InlineData("2001:db8::", 127, "2001:db8::1", true)]
    [InlineData("2001:db8::", 127, "2001:db8::2", false)]
    [InlineData("::", 0, "2001:db8::1", true)]
    public void Contains_Address_FollowsPrefix(string network, int prefix, string address, bool expected)
    {
        Assert.Equal(expected, IPSubnet.Containing(IPAddress.Parse(network), prefix).Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("192.0.2.0", 24, "192.0.2.128", 25, true)]
    [InlineData("192.0.2.0", 25, "192.0.2.128", 25, false)]
    [InlineData("192.0.2.1", 32, "192.0.2.0", 31, true)]
    [InlineData("10.0.0.0", 8, "192.0.2.0", 0, true)]
    [InlineData("2001:db8::", 48, "2001:db8:0:5::", 64, true)]
    [InlineData("2001:db8:1::", 48, "2001:db8:2::", 48, false)]
    [InlineData("192.0.2.0", 24, "::", 0, false)]
    public void Overlaps_TwoSubnets_IsSymmetric(string a, int prefixA, string b, int prefixB, bool expected)
    {
        var first = IPSubnet.Containing(IPAddress.Parse(a), prefixA);
        var second = IPSubnet.Containing(IPAddress.Parse(b), prefixB);
        Assert.Equal(expected, first.Overlaps(second));
        Assert.Equal(expected, second.Overlaps(first));
    }
}
