using CloudGateway.Networking;

namespace CloudGateway.Tests.Networking;

public sealed class HardwarePlanNetworksTests
{
    [Fact]
    public void Build_NetworkAndIsolatedNetwork_GivesInternetAccessOnlyToNetwork()
    {
        var networks = HardwarePlanNetworks.Build(["prod", "web"], ["backend"]);

        Assert.Equal(
            [new PlanNetwork("prod", true, 2), new PlanNetwork("web", true, 3), new PlanNetwork("backend", false, 4)],
            networks);
    }

    [Fact]
    public void Build_GivenVlanIds_AreKeptAndSkippedWhenAssigning()
    {
        var networks = HardwarePlanNetworks.Build(["prod:3", "web"], ["backend:100"]);

        Assert.Equal(
            [new PlanNetwork("prod", true, 3), new PlanNetwork("web", true, 2), new PlanNetwork("backend", false, 100)],
            networks);
    }

    [Fact]
    public void Build_ExistingNetworks_KeepTheirVlanIds()
    {
        var existing = new[] { new PlanNetwork("prod", true, 40), new PlanNetwork("web", true, 41) };

        var networks = HardwarePlanNetworks.Build(["web"], ["prod", "db"], existing);

        Assert.Equal(
            [new PlanNetwork("web", true, 41), new PlanNetwork("prod", false, 40), new PlanNetwork("db", false, 2)],
            networks);
    }

    [Fact]
    public void Build_MalformedVlans_ReportsEveryEntry()
    {
        var exception = Assert.Throws<GatewayException>(() => HardwarePlanNetworks.Build(["prod:x"], ["db:-1"]));

        Assert.Equal(["Network", "IsolatedNetwork"], exception.Problems.Select(p => p.Field));
    }

    [Fact]
    public void BridgeName_VlanId_IsCgbrPrefixed()
    {
        Assert.Equal("cgbr4094", new PlanNetwork("x", true, 4094).BridgeName);
    }
}
