using System.Net;
using CloudGateway.Networking;
using CloudGateway.Networking.Appliance;
using CloudGateway.Tests.Networking.Appliance;

namespace CloudGateway.Tests.Networking;

public sealed class ProductionNetworkDetectorTests
{
    private const string Addresses = """
        [{"ifname":"lo","flags":["LOOPBACK","UP"],"addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host"}]},
         {"ifname":"eth0","flags":["UP"],"addr_info":[
            {"family":"inet","local":"198.51.100.7","prefixlen":24,"scope":"global"},
            {"family":"inet","local":"192.0.2.7","prefixlen":25,"scope":"global"},
            {"family":"inet6","local":"2001:db8:1::7","prefixlen":64,"scope":"global"},
            {"family":"inet6","local":"fe80::7","prefixlen":64,"scope":"link"}]},
         {"ifname":"eth1","flags":["UP"],"addr_info":[{"family":"inet6","local":"2001:db8:2::7","prefixlen":64,"scope":"global"}]},
         {"ifname":"eth2","flags":["UP"],"addr_info":[]}]
        """;

    private const string Routes4 = """
        [{"dst":"default","gateway":"192.0.2.1","dev":"eth0"},{"dst":"192.0.2.0/25","dev":"eth0","scope":"link"}]
        """;

    private const string Routes6 = """
        [{"dst":"default","gateway":"2001:db8:1::1","dev":"eth0"},{"dst":"default","gateway":"fe80::1","dev":"eth1"}]
        """;

    [Fact]
    public void Combine_IpJson_ReportsEachInterfaceWithTheSubnetHoldingItsGateway()
    {
        var networks = ProductionNetworkDetector.Combine(ProductionNetworkDetector.ParseIp(Addresses, Routes4, Routes6));

        Assert.Equal(["eth0", "eth1"], networks.Select(n => n.Network));
        var eth0 = networks[0];
        Assert.Equal(("192.0.2.0/25", IPAddress.Parse("192.0.2.1"), IPAddress.Parse("255.255.255.128")), (eth0.IPv4Subnet, eth0.IPAddress, eth0.SubnetMask));
        Assert.Equal((IPAddress.Parse("2001:db8:1::"), 64, IPAddress.Parse("2001:db8:1::1")), (eth0.IPv6Network, eth0.PrefixLength, eth0.IPv6Address));
        var eth1 = networks[1];
        Assert.Equal(("2001:db8:2::/64", null, null, null), (eth1.IPv6Subnet, eth1.IPv6Address, eth1.IPAddress, eth1.IPv4Subnet));
    }

    [Fact]
    public void Combine_GatewayOutsideEverySubnet_ReportsNoGateway()
    {
        var networks = ProductionNetworkDetector.Combine(ProductionNetworkDetector.ParseIp(Addresses, """[{"dst":"default","gateway":"203.0.113.1","dev":"eth0"}]""", "[]"));

        Assert.Equal(("198.51.100.0/24", null, null), (networks[0].IPv4Subnet, networks[0].IPAddress, networks[0].SubnetMask));
    }

    [Fact]
    public void Detect_ThisMachine_ReportsOnlyNetworksWithGlobalAddresses()
    {
        var networks = ProductionNetworkDetector.Detect();

        Assert.All(networks, n => Assert.True(n.IPv4Subnet is not null || n.IPv6Subnet is not null));
        Assert.DoesNotContain(networks, n => n.InterfaceName == "lo");
    }

    [LinuxRootFact]
    public void Detect_InANamespace_FindsItsDefaultGatewaysThatPipeIntoTheStore()
    {
        var runner = new ProcessCommandRunner();
        var ns = "cgt" + Guid.NewGuid().ToString("N")[..6] + "-det";
        void Run(params string[] command) => Assert.True(runner.Run(command).Succeeded, string.Join(' ', command));
        Run("ip", "netns", "add", ns);
        try
        {
            Run("ip", "-n", ns, "link", "add", "prod", "type", "veth", "peer", "name", "peer0");
            Run("ip", "-n", ns, "link", "set", "peer0", "up");
            Run("ip", "-n", ns, "addr", "add", "192.0.2.7/24", "dev", "prod");
            Run("ip", "-n", ns, "addr", "add", "2001:db8:5::7/64", "dev", "prod", "nodad");
            Run("ip", "-n", ns, "link", "set", "prod", "up");
            Run("ip", "-n", ns, "route", "add", "default", "via", "192.0.2.1");
            Run("ip", "-n", ns, "-6", "route", "add", "default", "via", "2001:db8:5::1");

            var network = Assert.Single(ProductionNetworkDetector.Detect(runner, ns));

            Assert.Equal(("prod", IPAddress.Parse("192.0.2.1"), IPAddress.Parse("255.255.255.0")), (network.Network, network.IPAddress, network.SubnetMask));
            Assert.Equal((IPAddress.Parse("2001:db8:5::"), 64, IPAddress.Parse("2001:db8:5::1")), (network.IPv6Network, network.PrefixLength, network.IPv6Address));
            var asInput = new DefaultGatewayInput
            {
                Tenant = "acme", Network = network.Network, IPAddress = network.IPAddress?.ToString(), SubnetMask = network.SubnetMask?.ToString(),
                IPv6Network = network.IPv6Network?.ToString(), PrefixLength = network.PrefixLength, IPv6Address = network.IPv6Address?.ToString(),
            };
            Assert.Empty(NetworkExtensionValidator.Validate(asInput.ApplyTo(null)));
        }
        finally
        {
            runner.Run(["ip", "netns", "delete", ns]);
        }
    }
}
