using System.Net;
using CloudGateway.Networking;
using CloudGateway.Storage.Sqlite;

namespace CloudGateway.Tests.Storage.Sqlite;

/// <summary>The network extension tables on a real database file: round trips, guards, and nothing written on refusal.</summary>
public sealed class SqliteNetworkExtensionStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _path;
    private readonly INetworkExtensionStore _store;

    public SqliteNetworkExtensionStoreTests()
    {
        _path = _folder.File("cloudgateway.db");
        _store = NetworkExtensionDatabase.Open(_path);
        AddTenant("acme");
        AddTenant("globex");
    }

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    private static HardwarePlan Plan(string name = "Gold") => new()
    {
        Name = name,
        Description = "two internet networks and one isolated",
        Networks = HardwarePlanNetworks.Build(["prod", "web:100"], ["backend"]),
    };

    private static DefaultGateway Gateway(string network, string v4, string mask, string tenant = "acme") => new()
    {
        Tenant = tenant, Network = network, IPAddress = IPAddress.Parse(v4), SubnetMask = IPAddress.Parse(mask),
    };

    // The core store (another branch) owns the tenant table; these tests write its rows directly.
    private void AddTenant(string name) => TenantRows.Add(_path, name);

    private long ChangeCounter()
    {
        using var database = SqliteDatabase.Open(_path);
        return database.GetChangeCounter();
    }

    private static GatewayException Refused(Action action) => Assert.Throws<GatewayException>(action);

    [Fact]
    public void AddHardwarePlan_ReopenedFile_RoundTripsEveryField()
    {
        var added = _store.AddHardwarePlan(Plan());

        using var reopened = NetworkExtensionDatabase.Open(_path);
        var read = reopened.GetHardwarePlan("GOLD");
        Assert.Equal((added.Id, "Gold", "two internet networks and one isolated"), (read.Id, read.Name, read.Description));
        Assert.Equal([new PlanNetwork("prod", true, 2), new PlanNetwork("web", true, 100), new PlanNetwork("backend", false, 3)], read.Networks);
        Assert.Equal(["Gold"], reopened.GetHardwarePlans().Select(p => p.Name));
    }

    [Fact]
    public void AddHardwarePlan_SameNameOtherCase_IsDuplicateName()
    {
        _store.AddHardwarePlan(Plan());

        Assert.Equal(GatewayErrorCode.DuplicateName, Refused(() => _store.AddHardwarePlan(Plan("gold"))).Code);
    }

    [Fact]
    public void AddHardwarePlan_Invalid_ReportsEveryProblemAndWritesNothing()
    {
        var before = ChangeCounter();
        var plan = new HardwarePlan { Name = "", Networks = [new("a", true, 5), new("b", true, 5)] };

        var refused = Refused(() => _store.AddHardwarePlan(plan));

        Assert.Equal(["Name", "VlanId"], refused.Problems.Select(p => p.Field));
        Assert.Equal(before, ChangeCounter());
        Assert.Empty(_store.GetHardwarePlans());
    }

    [Fact]
    public void GetHardwarePlan_Missing_IsNotFound()
    {
        Assert.Equal(GatewayErrorCode.NotFound, Refused(() => _store.GetHardwarePlan("none")).Code);
    }

    [Fact]
    public void UpdateHardwarePlan_RenameAndNetworks_KeepsIdAndVlanIds()
    {
        var added = _store.AddHardwarePlan(Plan());
        var service = new NetworkExtensionService(_store);

        var changed = service.SetHardwarePlan("gold", "Platinum", null, ["web"], ["prod", "db"]);

        Assert.Equal((added.Id, "Platinum", added.Description), (changed.Id, changed.Name, changed.Description));
        Assert.Equal([new PlanNetwork("web", true, 100), new PlanNetwork("prod", false, 2), new PlanNetwork("db", false, 3)], changed.Networks);
        Assert.Equal(GatewayErrorCode.NotFound, Refused(() => _store.GetHardwarePlan("gold")).Code);
    }

    [Fact]
    public void UpdateHardwarePlan_DroppingANetworkWithGateways_IsRefusedAndNothingChanges()
    {
        _store.AddHardwarePlan(Plan());
        new NetworkExtensionService(_store).SetTenantHardwarePlan("acme", "Gold");
        _store.SetDefaultGateway(Gateway("backend", "192.0.2.1", "255.255.255.0"));

        var refused = Refused(() => new NetworkExtensionService(_store).SetHardwarePlan("Gold", null, null, ["prod", "web"], null));

        var problem = Assert.Single(refused.Problems);
        Assert.Equal("Network", problem.Field);
        Assert.Contains("'acme'", problem.Message, StringComparison.Ordinal);
        Assert.Equal(3, _store.GetHardwarePlan("Gold").Networks.Count);
    }

    [Fact]
    public void RemoveHardwarePlan_InUse_IsRefusedUnlessForced()
    {
        _store.AddHardwarePlan(Plan());
        new NetworkExtensionService(_store).SetTenantHardwarePlan("acme", "Gold");
        _store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));

        var refused = Refused(() => _store.RemoveHardwarePlan("gold"));
        Assert.Equal(GatewayErrorCode.HardwarePlanInUse, refused.Code);
        Assert.Contains("'acme'", refused.Message, StringComparison.Ordinal);

        _store.RemoveHardwarePlan("gold", force: true);

        Assert.Empty(_store.GetHardwarePlans());
        Assert.Null(_store.GetConfiguration("acme").HardwarePlan);
        Assert.Single(_store.GetDefaultGateways("acme"));
    }

    [Fact]
    public void GetConfigurations_TenantsNeverConfigured_HaveDefaults()
    {
        _store.AddHardwarePlan(Plan());
        new NetworkExtensionService(_store).SetConfiguration("globex", true, changePlan: true, "gold");

        var configurations = _store.GetConfigurations();

        Assert.Equal(
            [new DefaultGatewayConfiguration { Tenant = "acme" }, new DefaultGatewayConfiguration { Tenant = "globex", HardwarePlan = "Gold", RouteBetweenNetworks = true }],
            configurations);
    }

    [Fact]
    public void UpdateConfiguration_UnknownPlanOrTenant_IsRefused()
    {
        var unknownPlan = Refused(() => new NetworkExtensionService(_store).SetTenantHardwarePlan("acme", "nosuch"));
        Assert.Equal("HardwarePlan", Assert.Single(unknownPlan.Problems).Field);
        Assert.Equal(GatewayErrorCode.NotFound, Refused(() => _store.GetConfiguration("nosuch")).Code);
        Assert.Equal(GatewayErrorCode.NotFound, Refused(() => new NetworkExtensionService(_store).SetConfiguration("nosuch", true, false, null)).Code);
    }

    [Fact]
    public void UpdateConfiguration_ClearPlan_Unsubscribes()
    {
        _store.AddHardwarePlan(Plan());
        var service = new NetworkExtensionService(_store);
        service.SetTenantHardwarePlan("acme", "Gold");

        service.SetTenantHardwarePlan("acme", "");

        Assert.Null(_store.GetConfiguration("acme").HardwarePlan);
    }

    [Fact]
    public void SetDefaultGateway_BothFamilies_RoundTripsAndTakesThePlansSpelling()
    {
        _store.AddHardwarePlan(Plan());
        new NetworkExtensionService(_store).SetTenantHardwarePlan("acme", "Gold");
        var gateway = Gateway("PROD", "192.0.2.1", "255.255.255.0", tenant: "ACME") with
        {
            IPv6Network = IPAddress.Parse("2001:db8:1::"), PrefixLength = 64, IPv6Address = IPAddress.Parse("2001:db8:1::1"),
        };

        var stored = _store.SetDefaultGateway(gateway);

        Assert.Equal(gateway with { Tenant = "acme", Network = "prod" }, stored);
        using var reopened = NetworkExtensionDatabase.Open(_path);
        Assert.Equal(stored, Assert.Single(reopened.GetDefaultGateways("acme", "prod")));
    }

    [Fact]
    public void SetDefaultGateway_Again_ReplacesTheEntry()
    {
        _store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));

        _store.SetDefaultGateway(Gateway("prod", "198.51.100.1", "255.255.255.128"));

        var stored = Assert.Single(_store.GetDefaultGateways());
        Assert.Equal((IPAddress.Parse("198.51.100.1"), 25), (stored.IPAddress, stored.IPv4PrefixLength));
    }

    [Fact]
    public void SetDefaultGateway_NetworkNotInPlan_NamesNetwork()
    {
        _store.AddHardwarePlan(Plan());
        new NetworkExtensionService(_store).SetTenantHardwarePlan("acme", "Gold");

        var refused = Refused(() => _store.SetDefaultGateway(Gateway("office", "192.0.2.1", "255.255.255.0")));

        Assert.Equal("Network", Assert.Single(refused.Problems).Field);
        Assert.Empty(_store.GetDefaultGateways());
    }

    [Fact]
    public void SetDefaultGateway_InvalidAddresses_ReportsAllAndWritesNothing()
    {
        var before = ChangeCounter();
        var gateway = Gateway("prod", "192.0.2.0", "255.0.255.0") with { PrefixLength = 0 };

        var refused = Refused(() => _store.SetDefaultGateway(gateway));

        Assert.Equal(["SubnetMask", "IPv6Network", "PrefixLength", "IPv6Address"], refused.Problems.Select(p => p.Field));
        Assert.Equal(before, ChangeCounter());
    }

    [Fact]
    public void SetDefaultGateway_UnknownTenant_IsNotFound()
    {
        Assert.Equal(GatewayErrorCode.NotFound, Refused(() => _store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0", tenant: "nosuch"))).Code);
    }

    [Fact]
    public void SetDefaultGateway_OverlapWhileRouting_IsRefusedButAllowedWithoutRouting()
    {
        _store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));
        var service = new NetworkExtensionService(_store);
        service.SetConfiguration("acme", true, false, null);

        var refused = Refused(() => _store.SetDefaultGateway(Gateway("web", "192.0.2.129", "255.255.255.128")));
        Assert.Equal("Network", Assert.Single(refused.Problems).Field);

        service.SetConfiguration("acme", false, false, null);
        _store.SetDefaultGateway(Gateway("web", "192.0.2.129", "255.255.255.128"));
        var turnOn = Refused(() => service.SetConfiguration("acme", true, false, null));
        Assert.Equal("RouteBetweenNetworks", Assert.Single(turnOn.Problems).Field);
        Assert.False(_store.GetConfiguration("acme").RouteBetweenNetworks);
    }

    [Fact]
    public void SetDefaultGateway_OtherTenantsSameSubnet_IsNoOverlap()
    {
        new NetworkExtensionService(_store).SetConfiguration("acme", true, false, null);
        _store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0", tenant: "globex"));

        _store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));

        Assert.Equal(2, _store.GetDefaultGateways(network: "prod").Count);
    }

    [Fact]
    public void RemoveDefaultGateway_Existing_RemovesOnlyIt()
    {
        _store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));
        _store.SetDefaultGateway(Gateway("web", "198.51.100.1", "255.255.255.0"));

        _store.RemoveDefaultGateway("ACME", "PROD");

        Assert.Equal(["web"], _store.GetDefaultGateways("acme").Select(g => g.Network));
        Assert.Equal(GatewayErrorCode.NotFound, Refused(() => _store.RemoveDefaultGateway("acme", "prod")).Code);
    }

    [Fact]
    public void TenantDeleted_ItsNetworkExtensionRowsGoToo()
    {
        _store.AddHardwarePlan(Plan());
        new NetworkExtensionService(_store).SetTenantHardwarePlan("acme", "Gold");
        _store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));

        using (var database = SqliteDatabase.Open(_path))
        {
            database.Write((connection, transaction) => connection.Execute(transaction, "DELETE FROM tenant WHERE name_key = 'ACME'"));
        }

        Assert.Empty(_store.GetDefaultGateways());
        Assert.Equal(["globex"], _store.GetConfigurations().Select(c => c.Tenant));
        _store.RemoveHardwarePlan("Gold");
    }

    [Fact]
    public void ServiceSetDefaultGateway_PartialInput_KeepsTheStoredParts()
    {
        var service = new NetworkExtensionService(_store);
        service.SetDefaultGateway(new DefaultGatewayInput { Tenant = "acme", Network = "prod", IPv4Prefix = "192.168.1.1/24" });

        var changed = service.SetDefaultGateway(new DefaultGatewayInput
        {
            Tenant = "acme", Network = "prod", IPv6Network = "2001:db8::", PrefixLength = 64, IPv6Address = "2001:db8::1",
        });
        var masked = service.SetDefaultGateway(new DefaultGatewayInput { Tenant = "acme", Network = "prod", SubnetMask = "255.255.0.0" });

        Assert.Equal(IPAddress.Parse("192.168.1.1"), changed.IPAddress);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), changed.IPv6Address);
        Assert.Equal((IPAddress.Parse("192.168.1.1"), 16, IPAddress.Parse("2001:db8::1")), (masked.IPAddress, masked.IPv4PrefixLength, masked.IPv6Address));
    }

    [Fact]
    public void ChangeCounter_EveryWrite_Grows()
    {
        var before = ChangeCounter();

        _store.AddHardwarePlan(Plan());
        _store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));

        Assert.Equal(before + 2, ChangeCounter());
    }
}
