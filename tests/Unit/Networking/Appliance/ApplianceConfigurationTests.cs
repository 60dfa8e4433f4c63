using System.Net;
using CloudGateway.Networking;
using CloudGateway.Networking.Appliance;

namespace CloudGateway.Tests.Networking.Appliance;

public sealed class ApplianceConfigurationTests
{
    private static readonly HardwarePlan Plan = new()
    {
        Name = "p",
        Networks = [new PlanNetwork("web", true, 10), new PlanNetwork("backend", false, 20), new PlanNetwork("spare", true, 30)],
    };

    private static readonly DefaultGateway[] Gateways =
    [
        new()
        {
            Tenant = "acme", Network = "WEB", IPAddress = IPAddress.Parse("192.0.2.1"), SubnetMask = IPAddress.Parse("255.255.255.0"),
            IPv6Network = IPAddress.Parse("2001:db8::"), PrefixLength = 64, IPv6Address = IPAddress.Parse("2001:db8::1"),
        },
        new() { Tenant = "acme", Network = "backend", IPAddress = IPAddress.Parse("198.51.100.1"), SubnetMask = IPAddress.Parse("255.255.255.255") },
    ];

    [Fact]
    public void Create_PlanAndGateways_GivesOneNetworkPerPlanNetwork()
    {
        var configuration = ApplianceConfiguration.Create("acme", "nea1", "ext0", Plan, true, Gateways);

        Assert.Equal(["cgbr10", "cgbr20", "cgbr30"], configuration.Networks.Select(n => n.BridgeName));
        Assert.Equal(["192.0.2.1/24", "2001:db8::1/64"], configuration.Networks[0].Addresses);
        Assert.Equal(["198.51.100.1/32"], configuration.Networks[1].Addresses);
        Assert.Empty(configuration.Networks[2].Addresses);
    }

    [Fact]
    public void Create_BadNamesAndOverlapWhileRouting_ReportsEveryProblem()
    {
        var overlapping = Gateways.Append(Gateways[0] with { Network = "spare", IPv6Network = null, PrefixLength = null, IPv6Address = null }).ToArray();

        var refused = Assert.Throws<GatewayException>(() => ApplianceConfiguration.Create("acme", "../etc", "eth0; rm", Plan, true, overlapping));

        Assert.Equal(["ExternalInterface", "Namespace", "RouteBetweenNetworks"], refused.Problems.Select(p => p.Field));
    }

    [Fact]
    public void Create_ExternalInterfaceNameTooLong_IsRefused()
    {
        var refused = Assert.Throws<GatewayException>(() => ApplianceConfiguration.Create("acme", null, "a234567890123456", Plan, false, Gateways));

        Assert.Equal("ExternalInterface", Assert.Single(refused.Problems).Field);
    }

    [Fact]
    public void Render_RoutingOff_ForwardsAndMasqueradesOnlyInternetNetworks()
    {
        var script = NftRuleset.Render(ApplianceConfiguration.Create("acme", null, "ext0", Plan, false, Gateways));

        Assert.Contains("iifname \"cgbr10\" oifname \"ext0\" accept", script, StringComparison.Ordinal);
        Assert.Contains("iifname \"cgbr10\" oifname \"ext0\" masquerade", script, StringComparison.Ordinal);
        Assert.DoesNotContain("iifname \"cgbr20\" oifname \"ext0\"", script, StringComparison.Ordinal);
        Assert.DoesNotContain("oifname \"cgbr20\" accept", script.Replace("iifname \"cgbr20\" oifname \"cgbr20\" accept", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.StartsWith("add table inet cloudgateway_nea\ndelete table inet cloudgateway_nea\n", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RoutingOn_AcceptsEveryPairOfReplicaNetworks()
    {
        var script = NftRuleset.Render(ApplianceConfiguration.Create("acme", null, "ext0", Plan, true, Gateways));

        foreach (var (from, to) in new[] { ("10", "20"), ("20", "10"), ("10", "30"), ("30", "20") })
        {
            Assert.Contains($"iifname \"cgbr{from}\" oifname \"cgbr{to}\" accept", script, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("a/b")]
    [InlineData("..")]
    public void StateStore_UnsafeNamespaceName_IsRefusedBeforeAnyPathIsBuilt(string name)
    {
        var store = new ApplianceStateStore(Path.Combine(Path.GetTempPath(), "cgt-never-created"));

        var refused = Assert.Throws<GatewayException>(() => store.Load(name));

        Assert.Equal("Namespace", Assert.Single(refused.Problems).Field);
    }
}
