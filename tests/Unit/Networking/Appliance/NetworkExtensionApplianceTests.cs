using System.Net;
using CloudGateway.Networking;
using CloudGateway.Networking.Appliance;
using CloudGateway.Tests.Storage.Sqlite;

namespace CloudGateway.Tests.Networking.Appliance;

/// <summary>The appliance in real network namespaces: reachability through it, idempotence, rollback and Stop.</summary>
public sealed class NetworkExtensionApplianceTests : IDisposable
{
    private static readonly HardwarePlan Plan = new()
    {
        Name = "two-networks",
        Networks = [new PlanNetwork("web", true, 10), new PlanNetwork("backend", false, 20)],
    };

    private static readonly DefaultGateway[] Gateways =
    [
        new()
        {
            Tenant = "acme", Network = "web", IPAddress = IPAddress.Parse("192.0.2.1"), SubnetMask = IPAddress.Parse("255.255.255.128"),
            IPv6Network = IPAddress.Parse("2001:db8:a::"), PrefixLength = 64, IPv6Address = IPAddress.Parse("2001:db8:a::1"),
        },
        new() { Tenant = "acme", Network = "backend", IPAddress = IPAddress.Parse("192.0.2.129"), SubnetMask = IPAddress.Parse("255.255.255.128") },
    ];

    private readonly NamespaceLab? _lab;
    private readonly RecordingRunner _runner = new();
    private readonly NetworkExtensionAppliance? _appliance;

    public NetworkExtensionApplianceTests()
    {
        if (LinuxRootFactAttribute.WhyNot() is null)
        {
            _lab = new NamespaceLab();
            _appliance = new NetworkExtensionAppliance(_runner, _lab.StateDirectory, TimeProvider.System, checkPrivileges: true);
        }
    }

    private NamespaceLab Lab => _lab!;

    private NetworkExtensionAppliance Appliance => _appliance!;

    private ApplianceConfiguration Configuration(bool routeBetweenNetworks, string tenant = "acme") =>
        ApplianceConfiguration.Create(tenant, Lab.Appliance, "ext0", Plan, routeBetweenNetworks, Gateways);

    public void Dispose()
    {
        _lab?.Dispose();
    }

    [LinuxRootFact]
    public void Apply_TwoNetworks_OnlyTheInternetNetworkReachesTheExternalHost()
    {
        Appliance.Apply(Configuration(routeBetweenNetworks: false));
        Lab.PlugVms("cgbr10", "cgbr20");

        Assert.True(Lab.Reaches(Lab.VmA, NamespaceLab.ExternalAddress), "VM A (web, internet access) should reach the external host over IPv4");
        Assert.True(Lab.Reaches(Lab.VmA, NamespaceLab.ExternalIPv6Address), "VM A should reach the external host over IPv6");
        Assert.True(Lab.IsBlocked(Lab.VmB, NamespaceLab.ExternalAddress), "VM B (backend, isolated) must not reach the external host");
        Assert.True(Lab.IsBlocked(Lab.VmA, NamespaceLab.VmBAddress), "without RouteBetweenNetworks VM A must not reach VM B");
        Assert.True(Lab.IsBlocked(Lab.VmB, NamespaceLab.VmAAddress), "without RouteBetweenNetworks VM B must not reach VM A");
        Assert.True(Lab.Reaches(Lab.VmB, "192.0.2.129"), "VM B should still reach its own default gateway");
    }

    [LinuxRootFact]
    public void Apply_RouteBetweenNetworksToggled_ChangesReachabilityBetweenVms()
    {
        Appliance.Apply(Configuration(routeBetweenNetworks: true));
        Lab.PlugVms("cgbr10", "cgbr20");
        Assert.True(Lab.Reaches(Lab.VmA, NamespaceLab.VmBAddress), "with RouteBetweenNetworks VM A should reach VM B");
        Assert.True(Lab.Reaches(Lab.VmB, NamespaceLab.VmAAddress), "with RouteBetweenNetworks VM B should reach VM A");
        Assert.True(Lab.IsBlocked(Lab.VmB, NamespaceLab.ExternalAddress), "routing between networks gives backend no internet access");

        var state = Appliance.Apply(Configuration(routeBetweenNetworks: false));

        Assert.False(state.RouteBetweenNetworks);
        Assert.True(Lab.IsBlocked(Lab.VmA, NamespaceLab.VmBAddress), "after turning RouteBetweenNetworks off VM A must not reach VM B");
        Assert.True(Lab.Reaches(Lab.VmA, NamespaceLab.ExternalAddress), "VM A keeps its internet access");

        Appliance.Apply(Configuration(routeBetweenNetworks: true));
        Assert.True(Lab.Reaches(Lab.VmA, NamespaceLab.VmBAddress), "turning it on again restores VM A to VM B");
    }

    [LinuxRootFact]
    public void Apply_Twice_ChangesNothingTheSecondTime()
    {
        Appliance.Apply(Configuration(routeBetweenNetworks: true));
        var before = Lab.Snapshot();
        _runner.Commands.Clear();

        Appliance.Apply(Configuration(routeBetweenNetworks: true));

        Assert.Empty(_runner.ChangingCommands);
        Assert.Equal(before, Lab.Snapshot());
    }

    [LinuxRootFact]
    public void Stop_AfterStart_LeavesNothingBehind()
    {
        var before = Lab.Snapshot();
        Appliance.Apply(Configuration(routeBetweenNetworks: true));
        Assert.NotEqual(before, Lab.Snapshot());

        var stopped = Appliance.Stop(Lab.Appliance);

        Assert.Equal(["cgbr10", "cgbr20"], stopped.CreatedBridges);
        Assert.Equal(new Dictionary<string, string> { ["net.ipv4.ip_forward"] = "0", ["net.ipv6.conf.all.forwarding"] = "0" }, stopped.ChangedSysctls);
        Assert.Equal(before, Lab.Snapshot());
        Assert.Empty(Appliance.Get());
        var again = Assert.Throws<GatewayException>(() => Appliance.Stop(Lab.Appliance));
        Assert.Equal(GatewayErrorCode.NotFound, again.Code);
    }

    [LinuxRootFact]
    public void StartAndStop_ReportEachStepBeforeItRuns()
    {
        var starting = new RecordingProgress();
        var stopping = new RecordingProgress();

        Appliance.Apply(Configuration(routeBetweenNetworks: false), starting);
        Appliance.Stop(Lab.Appliance, stopping);

        Assert.Equal(
            [
                ("Step 1 of 6", 0, "bridge cgbr10 for network 'web'"), ("Step 2 of 6", 16, "bridge cgbr20 for network 'backend'"),
                ("Step 3 of 6", 33, "forwarding (net.ipv4.ip_forward)"), ("Step 4 of 6", 50, "forwarding (net.ipv6.conf.all.forwarding)"),
                ("Step 5 of 6", 66, "nftables table inet cloudgateway_nea"), ("Step 6 of 6", 83, "state file"),
            ],
            starting.Reports.Select(r => (r.Status, r.PercentComplete ?? -1, r.CurrentOperation)));
        Assert.Equal(
            [
                ("Step 1 of 5", 0, "nftables table inet cloudgateway_nea"), ("Step 2 of 5", 20, "bridge cgbr10"), ("Step 3 of 5", 40, "bridge cgbr20"),
                ("Step 4 of 5", 60, "net.ipv4.ip_forward back to 0"), ("Step 5 of 5", 80, "net.ipv6.conf.all.forwarding back to 0"),
            ],
            stopping.Reports.Select(r => (r.Status, r.PercentComplete ?? -1, r.CurrentOperation)));
    }

    [LinuxRootFact]
    public void Stop_SysctlAlreadyOn_LeavesItOn()
    {
        Lab.Run("ip", "netns", "exec", Lab.Appliance, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        var before = Lab.Snapshot();

        var started = Appliance.Apply(Configuration(routeBetweenNetworks: false));
        Appliance.Stop(Lab.Appliance);

        Assert.False(started.ChangedSysctls.ContainsKey("net.ipv4.ip_forward"));
        Assert.Equal(before, Lab.Snapshot());
    }

    [LinuxRootFact]
    public void Apply_FailurePartWay_RollsBackEverythingApplied()
    {
        var before = Lab.Snapshot();
        _runner.FailWhen = command => command.Contains("nft") && command.Contains("-f");

        var failure = Assert.Throws<GatewayException>(() => Appliance.Apply(Configuration(routeBetweenNetworks: true)));

        Assert.Equal(GatewayErrorCode.SystemCommandFailed, failure.Code);
        Assert.Contains("injected failure", failure.Message, StringComparison.Ordinal);
        Assert.Contains(_runner.ChangingCommands, c => c.Contains("bridge"));
        Assert.Equal(before, Lab.Snapshot());
        Assert.Empty(Appliance.Get());
    }

    [LinuxRootFact]
    public void Apply_ReapplyFailsPartWay_KeepsThePreviousAppliance()
    {
        Appliance.Apply(Configuration(routeBetweenNetworks: false));
        var before = Lab.Snapshot();
        var changed = Gateways.Select(g => g with { IPAddress = IPAddress.Parse(g.Network == "web" ? "192.0.2.2" : "192.0.2.130") }).ToArray();
        _runner.FailWhen = command => command.Contains("nft") && command.Contains("-f");

        Assert.Throws<GatewayException>(() => Appliance.Apply(ApplianceConfiguration.Create("acme", Lab.Appliance, "ext0", Plan, true, changed)));

        Assert.Equal(before, Lab.Snapshot());
        var state = Assert.Single(Appliance.Get());
        Assert.False(state.RouteBetweenNetworks);
        Assert.True(state.Running);
    }

    [LinuxRootFact]
    public void Apply_ChangedGateway_MovesTheBridgeAddress()
    {
        Appliance.Apply(Configuration(routeBetweenNetworks: false));
        var changed = Gateways.Select(g => g.Network == "backend" ? g with { IPAddress = IPAddress.Parse("192.0.2.254") } : g).ToArray();

        Appliance.Apply(ApplianceConfiguration.Create("acme", Lab.Appliance, "ext0", Plan, false, changed));

        var addresses = Lab.Run("ip", "-n", Lab.Appliance, "-o", "addr", "show", "dev", "cgbr20");
        Assert.Contains("192.0.2.254/25", addresses, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.129/25", addresses, StringComparison.Ordinal);
    }

    [LinuxRootFact]
    public void Apply_NetworkDroppedFromPlan_DeletesItsBridge()
    {
        Appliance.Apply(Configuration(routeBetweenNetworks: false));
        var smaller = Plan with { Networks = [Plan.Networks[0]] };

        var state = Appliance.Apply(ApplianceConfiguration.Create("acme", Lab.Appliance, "ext0", smaller, false, Gateways.Take(1)));

        Assert.Equal(["cgbr10"], state.CreatedBridges);
        Assert.DoesNotContain("cgbr20", Lab.Run("ip", "-n", Lab.Appliance, "-o", "link", "show"), StringComparison.Ordinal);
        Appliance.Stop(Lab.Appliance);
        Assert.DoesNotContain("cgbr", Lab.Run("ip", "-n", Lab.Appliance, "-o", "link", "show"), StringComparison.Ordinal);
    }

    [LinuxRootFact]
    public void Apply_AnotherTenantRunsThere_IsRefused()
    {
        Appliance.Apply(Configuration(routeBetweenNetworks: false));

        var refused = Assert.Throws<GatewayException>(() => Appliance.Apply(Configuration(false, tenant: "other")));

        Assert.Equal(GatewayErrorCode.ApplianceInUse, refused.Code);
        Assert.Contains("'acme'", refused.Message, StringComparison.Ordinal);
    }

    [LinuxRootFact]
    public void Apply_ForeignBridgeWithOurName_IsRefusedAndLeftAlone()
    {
        Lab.Run("ip", "-n", Lab.Appliance, "link", "add", "cgbr20", "type", "bridge");
        var before = Lab.Snapshot();

        var refused = Assert.Throws<GatewayException>(() => Appliance.Apply(Configuration(routeBetweenNetworks: false)));

        Assert.Equal(GatewayErrorCode.ApplianceInUse, refused.Code);
        Assert.Equal(before, Lab.Snapshot());
    }

    [LinuxRootFact]
    public void Apply_MissingNamespaceOrInterface_IsNotFound()
    {
        var noNamespace = ApplianceConfiguration.Create("acme", Lab.Appliance + "-gone", "ext0", Plan, false, Gateways);
        var noInterface = ApplianceConfiguration.Create("acme", Lab.Appliance, "nosuch0", Plan, false, Gateways);

        Assert.Equal(GatewayErrorCode.NotFound, Assert.Throws<GatewayException>(() => Appliance.Apply(noNamespace)).Code);
        Assert.Equal(GatewayErrorCode.NotFound, Assert.Throws<GatewayException>(() => Appliance.Apply(noInterface)).Code);
    }

    [LinuxRootFact]
    public void Get_AfterStart_ShowsTheRunningAppliance()
    {
        Appliance.Apply(Configuration(routeBetweenNetworks: true));

        var state = Assert.Single(Appliance.Get(Lab.Appliance, onlyThis: true));

        Assert.Equal(("acme", Lab.Appliance, "ext0", true, true), (state.Tenant, state.Namespace, state.ExternalInterface, state.RouteBetweenNetworks, state.Running));
        Assert.Equal(["cgbr10", "cgbr20"], state.Networks.Select(n => n.BridgeName));
        Assert.Equal(["192.0.2.1/25", "2001:db8:a::1/64"], state.Networks[0].Addresses);
        Lab.Run("ip", "-n", Lab.Appliance, "link", "delete", "cgbr20");
        Assert.False(Assert.Single(Appliance.Get()).Running);
    }

    [LinuxRootFact]
    public void Start_FromTheStore_AppliesThePlanGatewaysAndRoutingOption()
    {
        using var folder = new TempFolder();
        var path = folder.File("cloudgateway.db");
        using var store = NetworkExtensionDatabase.Open(path);
        TenantRows.Add(path, "acme");
        var service = new NetworkExtensionService(store);
        service.NewHardwarePlan("two-networks", null, ["web:10"], ["backend:20"]);
        service.SetConfiguration("acme", false, changePlan: true, "two-networks");
        service.SetDefaultGateway(new DefaultGatewayInput { Tenant = "acme", Network = "web", IPv4Prefix = "192.0.2.1/25" });
        service.SetDefaultGateway(new DefaultGatewayInput { Tenant = "acme", Network = "backend", IPAddress = "192.0.2.129", SubnetMask = "255.255.255.128" });

        Appliance.Start(store, "acme", Lab.Appliance, "ext0");
        Lab.PlugVms("cgbr10", "cgbr20");
        Assert.True(Lab.Reaches(Lab.VmA, NamespaceLab.ExternalAddress), "web reaches the external host");
        Assert.True(Lab.IsBlocked(Lab.VmA, NamespaceLab.VmBAddress), "routing is off in the store");

        service.SetConfiguration("acme", true, changePlan: false, null);
        Appliance.Start(store, "acme", Lab.Appliance, "ext0");
        Assert.True(Lab.Reaches(Lab.VmA, NamespaceLab.VmBAddress), "routing turned on in the store and applied again");

        Appliance.Stop(Lab.Appliance);
        Assert.DoesNotContain("cgbr", Lab.Run("ip", "-n", Lab.Appliance, "-o", "link", "show"), StringComparison.Ordinal);
    }

    [LinuxRootFact]
    public void Start_TenantWithoutPlan_IsNotFound()
    {
        using var folder = new TempFolder();
        var path = folder.File("cloudgateway.db");
        using var store = NetworkExtensionDatabase.Open(path);
        TenantRows.Add(path, "acme");

        var refused = Assert.Throws<GatewayException>(() => Appliance.Start(store, "acme", Lab.Appliance, "ext0"));

        Assert.Equal(GatewayErrorCode.NotFound, refused.Code);
        Assert.Contains("HardwarePlan", refused.Message, StringComparison.Ordinal);
    }
}
