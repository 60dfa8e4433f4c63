using System.Net;
using CloudGateway.Networking;

namespace CloudGateway.Tests.Networking;

public sealed class NetworkExtensionValidatorTests
{
    private static DefaultGateway IPv4(string address, string mask) => new()
    {
        Tenant = "acme", Network = "prod", IPAddress = IPAddress.Parse(address), SubnetMask = IPAddress.Parse(mask),
    };

    private static DefaultGateway IPv6(string network, int prefix, string address) => new()
    {
        Tenant = "acme", Network = "prod", IPv6Network = IPAddress.Parse(network), PrefixLength = prefix, IPv6Address = IPAddress.Parse(address),
    };

    private static string[] Fields(IReadOnlyList<ValidationProblem> problems) => problems.Select(p => p.Field).ToArray();

    [Theory]
    [InlineData("192.0.2.1", "255.255.255.0")]
    [InlineData("192.0.2.254", "255.255.255.0")]
    [InlineData("192.0.2.129", "255.255.255.128")]
    [InlineData("192.0.2.2", "255.255.255.252")]
    [InlineData("192.0.2.4", "255.255.255.254")]
    [InlineData("192.0.2.5", "255.255.255.254")]
    [InlineData("192.0.2.7", "255.255.255.255")]
    [InlineData("10.255.255.254", "255.0.0.0")]
    [InlineData("128.0.0.1", "128.0.0.0")]
    public void Validate_ValidIPv4Gateway_HasNoProblems(string address, string mask)
    {
        Assert.Empty(NetworkExtensionValidator.Validate(IPv4(address, mask)));
    }

    [Theory]
    [InlineData("192.0.2.0", "255.255.255.0", "network address")]
    [InlineData("192.0.2.255", "255.255.255.0", "broadcast address")]
    [InlineData("192.0.2.128", "255.255.255.128", "network address")]
    [InlineData("192.0.2.3", "255.255.255.252", "broadcast address")]
    [InlineData("192.0.2.1", "255.255.255.0", null)]
    public void Validate_IPv4NetworkOrBroadcastAddress_NamesIPAddress(string address, string mask, string? expected)
    {
        var problems = NetworkExtensionValidator.Validate(IPv4(address, mask));
        if (expected is null)
        {
            Assert.Empty(problems);
            return;
        }

        var problem = Assert.Single(problems);
        Assert.Equal("IPAddress", problem.Field);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("255.0.255.0")]
    [InlineData("255.255.255.253")]
    [InlineData("0.255.255.255")]
    public void Validate_NonContiguousMask_NamesSubnetMask(string mask)
    {
        var problem = Assert.Single(NetworkExtensionValidator.Validate(IPv4("192.0.2.1", mask)));
        Assert.Equal("SubnetMask", problem.Field);
        Assert.Contains("contiguous", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ZeroMask_IsRefusedAsSlashZero()
    {
        var problem = Assert.Single(NetworkExtensionValidator.Validate(IPv4("192.0.2.1", "0.0.0.0")));
        Assert.Equal("SubnetMask", problem.Field);
        Assert.Contains("/0", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.0.0.1", "this network")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("255.255.255.255", "reserved")]
    public void Validate_NonUnicastIPv4Gateway_NamesIPAddress(string address, string expected)
    {
        var problem = Assert.Single(NetworkExtensionValidator.Validate(IPv4(address, "255.255.255.255")));
        Assert.Equal("IPAddress", problem.Field);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_IPv4AddressWithoutMask_NamesSubnetMask()
    {
        var gateway = new DefaultGateway { Tenant = "acme", Network = "prod", IPAddress = IPAddress.Parse("192.0.2.1") };
        Assert.Equal(["SubnetMask"], Fields(NetworkExtensionValidator.Validate(gateway)));
    }

    [Fact]
    public void Validate_MaskWithoutAddress_NamesIPAddress()
    {
        var gateway = new DefaultGateway { Tenant = "acme", Network = "prod", SubnetMask = IPAddress.Parse("255.255.255.0") };
        Assert.Equal(["IPAddress"], Fields(NetworkExtensionValidator.Validate(gateway)));
    }

    [Fact]
    public void Validate_IPv6AddressInIPv4Fields_NamesBothFields()
    {
        var gateway = new DefaultGateway { Tenant = "acme", Network = "prod", IPAddress = IPAddress.Parse("2001:db8::1"), SubnetMask = IPAddress.Parse("ffff::") };
        Assert.Equal(["IPAddress", "SubnetMask"], Fields(NetworkExtensionValidator.Validate(gateway)));
    }

    [Fact]
    public void Validate_NoAddressAtAll_AsksForOneFamily()
    {
        var problem = Assert.Single(NetworkExtensionValidator.Validate(new DefaultGateway { Tenant = "acme", Network = "prod" }));
        Assert.Equal("IPAddress", problem.Field);
        Assert.Contains("IPv6", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2001:db8:1::", 64, "2001:db8:1::1")]
    [InlineData("2001:db8:1::", 48, "2001:db8:1:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8::4", 127, "2001:db8::4")]
    [InlineData("2001:db8::4", 127, "2001:db8::5")]
    [InlineData("2001:db8::9", 128, "2001:db8::9")]
    [InlineData("::", 1, "2001:db8::1")]
    [InlineData("2001:db8::", 126, "2001:db8::3")]
    public void Validate_ValidIPv6Gateway_HasNoProblems(string network, int prefix, string address)
    {
        Assert.Empty(NetworkExtensionValidator.Validate(IPv6(network, prefix, address)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(129)]
    [InlineData(-1)]
    public void Validate_IPv6PrefixOutOfRange_NamesPrefixLength(int prefix)
    {
        var problem = Assert.Single(NetworkExtensionValidator.Validate(IPv6("2001:db8::", prefix, "2001:db8::1")));
        Assert.Equal("PrefixLength", problem.Field);
        Assert.Contains("1 to 128", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2001:db8:1::", 64, "2001:db8:2::1")]
    [InlineData("2001:db8::4", 127, "2001:db8::6")]
    [InlineData("2001:db8::9", 128, "2001:db8::8")]
    public void Validate_IPv6GatewayOutsideNetwork_NamesIPv6Address(string network, int prefix, string address)
    {
        var problem = Assert.Single(NetworkExtensionValidator.Validate(IPv6(network, prefix, address)));
        Assert.Equal("IPv6Address", problem.Field);
        Assert.Contains("not inside", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2001:db8:1::1", 64, "2001:db8:1::")]
    [InlineData("2001:db8::5", 127, "2001:db8::4")]
    public void Validate_IPv6NetworkWithHostBits_NamesIPv6NetworkAndTheNetworkMeant(string network, int prefix, string meant)
    {
        var problem = Assert.Single(NetworkExtensionValidator.Validate(IPv6(network, prefix, "2001:db8:1::1")));
        Assert.Equal("IPv6Network", problem.Field);
        Assert.Contains(meant, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_IPv6GatewayIsSubnetRouterAnycast_NamesIPv6Address()
    {
        var problem = Assert.Single(NetworkExtensionValidator.Validate(IPv6("2001:db8:1::", 64, "2001:db8:1::")));
        Assert.Equal("IPv6Address", problem.Field);
        Assert.Contains("anycast", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ff02::1")]
    [InlineData("::1")]
    [InlineData("::")]
    public void Validate_NonUnicastIPv6Gateway_NamesIPv6Address(string address)
    {
        Assert.Equal(["IPv6Address"], Fields(NetworkExtensionValidator.Validate(IPv6("2001:db8::", 64, address))));
    }

    [Fact]
    public void Validate_IPv6PartsMissing_NamesEachMissingField()
    {
        var gateway = new DefaultGateway { Tenant = "acme", Network = "prod", PrefixLength = 64 };
        Assert.Equal(["IPv6Network", "IPv6Address"], Fields(NetworkExtensionValidator.Validate(gateway)));
    }

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOne()
    {
        var gateway = new DefaultGateway
        {
            Tenant = " ",
            Network = "",
            IPAddress = IPAddress.Parse("192.0.2.0"),
            SubnetMask = IPAddress.Parse("255.0.255.0"),
            IPv6Network = IPAddress.Parse("2001:db8::"),
            PrefixLength = 200,
            IPv6Address = IPAddress.Parse("192.0.2.1"),
        };

        Assert.Equal(["Tenant", "Network", "SubnetMask", "PrefixLength", "IPv6Address"], Fields(NetworkExtensionValidator.Validate(gateway)));
        var exception = Assert.Throws<GatewayException>(() => GatewayException.ThrowIfInvalid("Default gateway", "acme", NetworkExtensionValidator.Validate(gateway)));
        Assert.Equal(5, exception.Problems.Count);
        Assert.Equal(GatewayErrorCode.ValidationFailed, exception.Code);
    }

    [Fact]
    public void FindOverlaps_OverlappingIPv4AndIPv6_ReportsEachPairUnderTheField()
    {
        var gateways = new[]
        {
            IPv4("192.0.2.1", "255.255.255.0") with { Network = "web", IPv6Network = IPAddress.Parse("2001:db8::"), PrefixLength = 48, IPv6Address = IPAddress.Parse("2001:db8::1") },
            IPv4("192.0.2.129", "255.255.255.128") with { Network = "backend" },
            IPv6("2001:db8:0:7::", 64, "2001:db8:0:7::1") with { Network = "dmz" },
            IPv4("198.51.100.1", "255.255.255.0") with { Network = "office" },
        };

        var problems = NetworkExtensionValidator.FindOverlaps(gateways, "RouteBetweenNetworks");

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Equal("RouteBetweenNetworks", p.Field));
        Assert.Contains("'web' (192.0.2.0/24) overlaps network 'backend' (192.0.2.128/25)", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("'web' (2001:db8::/48) overlaps network 'dmz' (2001:db8:0:7::/64)", problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindOverlaps_AdjacentSlash31s_DoNotOverlap()
    {
        var gateways = new[] { IPv4("192.0.2.0", "255.255.255.254"), IPv4("192.0.2.2", "255.255.255.254") with { Network = "b" } };
        Assert.Empty(NetworkExtensionValidator.FindOverlaps(gateways, "Network"));
    }

    [Fact]
    public void FindOverlaps_SlashThirtyTwoInsideAnotherNetwork_Overlaps()
    {
        var gateways = new[] { IPv4("192.0.2.1", "255.255.255.0"), IPv4("192.0.2.9", "255.255.255.255") with { Network = "b" } };
        Assert.Single(NetworkExtensionValidator.FindOverlaps(gateways, "Network"));
    }

    [Fact]
    public void ValidatePlan_DuplicateNamesAndVlans_ReportsEach()
    {
        var plan = new HardwarePlan
        {
            Name = "",
            Networks = [new("prod", true, 5), new("PROD", false, 5), new("web", true, 4095), new("", true, 0)],
        };

        var problems = NetworkExtensionValidator.Validate(plan);

        Assert.Equal(["Name", "Network", "VlanId", "VlanId", "Network", "VlanId"], Fields(problems));
    }

    [Fact]
    public void ValidatePlan_NoNetworks_NamesNetwork()
    {
        Assert.Equal(["Network"], Fields(NetworkExtensionValidator.Validate(new HardwarePlan { Name = "small" })));
    }
}
