using System.Net;
using CloudGateway.Networking;

namespace CloudGateway.Tests.Networking;

public sealed class DefaultGatewayInputTests
{
    private static DefaultGatewayInput Input() => new() { Tenant = "acme", Network = "prod" };

    [Theory]
    [InlineData("192.168.1.1/24", "192.168.1.1", "255.255.255.0")]
    [InlineData("192.0.2.5/31", "192.0.2.5", "255.255.255.254")]
    [InlineData("192.0.2.5/32", "192.0.2.5", "255.255.255.255")]
    [InlineData("192.0.2.5/0", "192.0.2.5", "0.0.0.0")]
    public void ApplyTo_IPv4Prefix_GivesAddressAndMask(string prefix, string address, string mask)
    {
        var gateway = (Input() with { IPv4Prefix = prefix }).ApplyTo(null);

        Assert.Equal((IPAddress.Parse(address), IPAddress.Parse(mask)), (gateway.IPAddress, gateway.SubnetMask));
    }

    [Theory]
    [InlineData("192.168.1.1")]
    [InlineData("192.168.1.1/33")]
    [InlineData("2001:db8::1/64")]
    [InlineData("10.1/8")]
    [InlineData("192.168.1.1/-1")]
    public void ApplyTo_BadIPv4Prefix_NamesIPv4Prefix(string prefix)
    {
        var refused = Assert.Throws<GatewayException>(() => (Input() with { IPv4Prefix = prefix }).ApplyTo(null));

        Assert.Equal("IPv4Prefix", Assert.Single(refused.Problems).Field);
    }

    [Fact]
    public void ApplyTo_IPv4PrefixAndIPAddress_IsRefused()
    {
        var refused = Assert.Throws<GatewayException>(() => (Input() with { IPv4Prefix = "192.0.2.1/24", IPAddress = "192.0.2.1" }).ApplyTo(null));

        Assert.Equal("IPv4Prefix", Assert.Single(refused.Problems).Field);
    }

    [Fact]
    public void ApplyTo_UnparsableParts_NamesEachField()
    {
        var input = Input() with { IPAddress = "10", SubnetMask = "255.255.255.x", IPv6Network = "2001:db8::/64", IPv6Address = "gateway" };

        var refused = Assert.Throws<GatewayException>(() => input.ApplyTo(null));

        Assert.Equal(["IPAddress", "SubnetMask", "IPv6Network", "IPv6Address"], refused.Problems.Select(p => p.Field));
    }

    [Fact]
    public void ApplyTo_EmptyStrings_CountAsNotGiven()
    {
        var existing = new DefaultGateway { Tenant = "acme", Network = "prod", IPAddress = IPAddress.Parse("192.0.2.1"), SubnetMask = IPAddress.Parse("255.255.255.0") };

        var gateway = (Input() with { IPAddress = "", SubnetMask = " ", IPv4Prefix = "" }).ApplyTo(existing);

        Assert.Equal(existing, gateway);
    }

    [Fact]
    public void ApplyTo_Existing_ReplacesOnlyTheGivenParts()
    {
        var existing = new DefaultGateway
        {
            Tenant = "acme", Network = "prod", IPAddress = IPAddress.Parse("192.0.2.1"), SubnetMask = IPAddress.Parse("255.255.255.0"),
            IPv6Network = IPAddress.Parse("2001:db8::"), PrefixLength = 64, IPv6Address = IPAddress.Parse("2001:db8::1"),
        };

        var gateway = (Input() with { IPAddress = "192.0.2.254", PrefixLength = 56 }).ApplyTo(existing);

        Assert.Equal(existing with { IPAddress = IPAddress.Parse("192.0.2.254"), PrefixLength = 56 }, gateway);
    }
}
