using System.Net;
using CloudGateway.Model;
using CloudGateway.Networking;
using CloudGateway.Security;
using CloudGateway.Storage;

namespace CloudGateway.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="INetworkExtensionStore"/> must have, on a real database: round trips, guards, nothing
/// written on refusal, and tenants' settings following the core store's tenants. A backend's test class supplies
/// <see cref="CreateLocation"/>; each test gets a new, empty configuration holding tenants acme and globex.
/// </summary>
public abstract class NetworkExtensionStoreContract : IDisposable
{
    private readonly TempFolder _files = new();
    private string? _location;
    private IConfigurationStore? _configuration;
    private INetworkExtensionStore? _store;

    /// <summary>A new, empty configuration location: a SQLite file path or a PostgreSQL connection string.</summary>
    protected abstract string CreateLocation();

    /// <summary>A folder for this test's files, deleted after the test.</summary>
    protected TempFolder Files => _files;

    /// <summary>This test's configuration location.</summary>
    protected string Location => _location ??= CreateLocation();

    /// <summary>The core configuration store of <see cref="Location"/>, which owns the tenants.</summary>
    protected IConfigurationStore Configuration => _configuration ??= OpenWithTenants();

    /// <summary>The network extension store under test, opened on <see cref="Location"/> through the one factory.</summary>
    protected INetworkExtensionStore Store => _store ??= OpenStore();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _store?.Dispose();
            _configuration?.Dispose();
            _files.Dispose();
        }
    }

    private IConfigurationStore OpenWithTenants()
    {
        var configuration = ConfigurationDatabase.OpenLocation(Location);
        configuration.AddTenant(new Tenant { Name = "acme" }, ConfigurationStoreContract.PasswordHash);
        configuration.AddTenant(new Tenant { Name = "globex" }, ConfigurationStoreContract.PasswordHash);
        return configuration;
    }

    private INetworkExtensionStore OpenStore()
    {
        _ = Configuration;
        return NetworkExtensionDatabase.OpenLocation(Location);
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

    private long ChangeCounter() => Configuration.GetChangeCounter();

    private static GatewayException Refused(Action action) => Assert.Throws<GatewayException>(action);

    [ContractFact]
    public void AddHardwarePlan_Reopened_RoundTripsEveryField()
    {
        var added = Store.AddHardwarePlan(Plan());

        using var reopened = NetworkExtensionDatabase.OpenLocation(Location);
        var read = reopened.GetHardwarePlan("GOLD");
        Assert.Equal((added.Id, "Gold", "two internet networks and one isolated"), (read.Id, read.Name, read.Description));
        Assert.Equal([new PlanNetwork("prod", true, 2), new PlanNetwork("web", true, 100), new PlanNetwork("backend", false, 3)], read.Networks);
        Assert.Equal(["Gold"], reopened.GetHardwarePlans().Select(p => p.Name));
    }

    [ContractFact]
    public void AddHardwarePlan_SameNameOtherCase_IsDuplicateName()
    {
        Store.AddHardwarePlan(Plan());

        Assert.Equal(GatewayErrorCode.DuplicateName, Refused(() => Store.AddHardwarePlan(Plan("gold"))).Code);
    }

    [ContractFact]
    public void AddHardwarePlan_Invalid_ReportsEveryProblemAndWritesNothing()
    {
        var before = ChangeCounter();
        var plan = new HardwarePlan { Name = "", Networks = [new("a", true, 5), new("b", true, 5)] };

        var refused = Refused(() => Store.AddHardwarePlan(plan));

        Assert.Equal(["Name", "VlanId"], refused.Problems.Select(p => p.Field));
        Assert.Equal(before, ChangeCounter());
        Assert.Empty(Store.GetHardwarePlans());
    }

    [ContractFact]
    public void GetHardwarePlan_Missing_IsNotFound()
    {
        Assert.Equal(GatewayErrorCode.NotFound, Refused(() => Store.GetHardwarePlan("none")).Code);
    }

    [ContractFact]
    public void UpdateHardwarePlan_RenameAndNetworks_KeepsIdAndVlanIds()
    {
        var added = Store.AddHardwarePlan(Plan());
        var service = new NetworkExtensionService(Store);

        var changed = service.SetHardwarePlan("gold", "Platinum", null, ["web"], ["prod", "db"]);

        Assert.Equal((added.Id, "Platinum", added.Description), (changed.Id, changed.Name, changed.Description));
        Assert.Equal([new PlanNetwork("web", true, 100), new PlanNetwork("prod", false, 2), new PlanNetwork("db", false, 3)], changed.Networks);
        Assert.Equal(GatewayErrorCode.NotFound, Refused(() => Store.GetHardwarePlan("gold")).Code);
    }

    [ContractFact]
    public void UpdateHardwarePlan_DroppingANetworkWithGateways_IsRefusedAndNothingChanges()
    {
        Store.AddHardwarePlan(Plan());
        new NetworkExtensionService(Store).SetTenantHardwarePlan("acme", "Gold");
        Store.SetDefaultGateway(Gateway("backend", "192.0.2.1", "255.255.255.0"));

        var refused = Refused(() => new NetworkExtensionService(Store).SetHardwarePlan("Gold", null, null, ["prod", "web"], null));

        var problem = Assert.Single(refused.Problems);
        Assert.Equal("Network", problem.Field);
        Assert.Contains("'acme'", problem.Message, StringComparison.Ordinal);
        Assert.Equal(3, Store.GetHardwarePlan("Gold").Networks.Count);
    }

    [ContractFact]
    public void RemoveHardwarePlan_InUse_IsRefusedUnlessForced()
    {
        Store.AddHardwarePlan(Plan());
        new NetworkExtensionService(Store).SetTenantHardwarePlan("acme", "Gold");
        Store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));

        var refused = Refused(() => Store.RemoveHardwarePlan("gold"));
        Assert.Equal(GatewayErrorCode.HardwarePlanInUse, refused.Code);
        Assert.Contains("'acme'", refused.Message, StringComparison.Ordinal);

        Store.RemoveHardwarePlan("gold", force: true);

        Assert.Empty(Store.GetHardwarePlans());
        Assert.Null(Store.GetConfiguration("acme").HardwarePlan);
        Assert.Single(Store.GetDefaultGateways("acme"));
    }

    [ContractFact]
    public void GetConfigurations_TenantsNeverConfigured_HaveDefaults()
    {
        Store.AddHardwarePlan(Plan());
        new NetworkExtensionService(Store).SetConfiguration("globex", true, changePlan: true, "gold");

        var configurations = Store.GetConfigurations();

        Assert.Equal(
            [new DefaultGatewayConfiguration { Tenant = "acme" }, new DefaultGatewayConfiguration { Tenant = "globex", HardwarePlan = "Gold", RouteBetweenNetworks = true }],
            configurations);
    }

    [ContractFact]
    public void UpdateConfiguration_UnknownPlanOrTenant_IsRefused()
    {
        var unknownPlan = Refused(() => new NetworkExtensionService(Store).SetTenantHardwarePlan("acme", "nosuch"));
        Assert.Equal("HardwarePlan", Assert.Single(unknownPlan.Problems).Field);
        Assert.Equal(GatewayErrorCode.NotFound, Refused(() => Store.GetConfiguration("nosuch")).Code);
        Assert.Equal(GatewayErrorCode.NotFound, Refused(() => new NetworkExtensionService(Store).SetConfiguration("nosuch", true, false, null)).Code);
    }

    [ContractFact]
    public void UpdateTenant_WithPasswordAndPlan_StoresAllInOneChange()
    {
        Store.AddHardwarePlan(Plan());
        var newHash = PasswordHasher.Hash("a different long password");

        var tenant = Configuration.UpdateTenant("ACME", t => t with { Name = "acme-corp" }, newHash, NetworkExtensionService.WithHardwarePlan("Gold"));

        Assert.Equal("acme-corp", tenant.Name);
        Assert.Equal("Gold", Store.GetConfiguration("acme-corp").HardwarePlan);
        Assert.Equal(newHash, Configuration.ReadSnapshot().Tenants.Single(x => x.Tenant.Name == "acme-corp").PasswordHash);
    }

    [ContractFact]
    public void UpdateTenant_RefusedTenantChange_KeepsPlanAndPassword()
    {
        Store.AddHardwarePlan(Plan());
        var newHash = PasswordHasher.Hash("a different long password");

        Refused(() => Configuration.UpdateTenant("acme", t => t with { Pools = ["nosuch"] }, newHash, NetworkExtensionService.WithHardwarePlan("Gold")));

        Assert.Null(Store.GetConfiguration("acme").HardwarePlan);
        Assert.Equal(ConfigurationStoreContract.PasswordHash, Configuration.ReadSnapshot().Tenants.Single(x => x.Tenant.Name == "acme").PasswordHash);
    }

    [ContractFact]
    public void UpdateTenant_UnknownPlan_ChangesNothing()
    {
        var before = Configuration.GetTenant("acme");

        var error = Refused(() => Configuration.UpdateTenant("acme", t => t with { Description = "changed" }, null, NetworkExtensionService.WithHardwarePlan("nosuch")));

        Assert.Equal("HardwarePlan", Assert.Single(error.Problems).Field);
        var after = Configuration.GetTenant("acme");
        Assert.Equal((before.Description, before.Modified), (after.Description, after.Modified));
    }

    [ContractFact]
    public void UpdateConfiguration_ClearPlan_Unsubscribes()
    {
        Store.AddHardwarePlan(Plan());
        var service = new NetworkExtensionService(Store);
        service.SetTenantHardwarePlan("acme", "Gold");

        service.SetTenantHardwarePlan("acme", "");

        Assert.Null(Store.GetConfiguration("acme").HardwarePlan);
    }

    [ContractFact]
    public void SetDefaultGateway_BothFamilies_RoundTripsAndTakesThePlansSpelling()
    {
        Store.AddHardwarePlan(Plan());
        new NetworkExtensionService(Store).SetTenantHardwarePlan("acme", "Gold");
        var gateway = Gateway("PROD", "192.0.2.1", "255.255.255.0", tenant: "ACME") with
        {
            IPv6Network = IPAddress.Parse("2001:db8:1::"), PrefixLength = 64, IPv6Address = IPAddress.Parse("2001:db8:1::1"),
        };

        var stored = Store.SetDefaultGateway(gateway);

        Assert.Equal(gateway with { Tenant = "acme", Network = "prod" }, stored);
        using var reopened = NetworkExtensionDatabase.OpenLocation(Location);
        Assert.Equal(stored, Assert.Single(reopened.GetDefaultGateways("acme", "prod")));
    }

    [ContractFact]
    public void SetDefaultGateway_Again_ReplacesTheEntry()
    {
        Store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));

        Store.SetDefaultGateway(Gateway("prod", "198.51.100.1", "255.255.255.128"));

        var stored = Assert.Single(Store.GetDefaultGateways());
        Assert.Equal((IPAddress.Parse("198.51.100.1"), 25), (stored.IPAddress, stored.IPv4PrefixLength));
    }

    [ContractFact]
    public void SetDefaultGateway_NetworkNotInPlan_NamesNetwork()
    {
        Store.AddHardwarePlan(Plan());
        new NetworkExtensionService(Store).SetTenantHardwarePlan("acme", "Gold");

        var refused = Refused(() => Store.SetDefaultGateway(Gateway("office", "192.0.2.1", "255.255.255.0")));

        Assert.Equal("Network", Assert.Single(refused.Problems).Field);
        Assert.Empty(Store.GetDefaultGateways());
    }

    [ContractFact]
    public void SetDefaultGateway_InvalidAddresses_ReportsAllAndWritesNothing()
    {
        var before = ChangeCounter();
        var gateway = Gateway("prod", "192.0.2.0", "255.0.255.0") with { PrefixLength = 0 };

        var refused = Refused(() => Store.SetDefaultGateway(gateway));

        Assert.Equal(["SubnetMask", "IPv6Network", "PrefixLength", "IPv6Address"], refused.Problems.Select(p => p.Field));
        Assert.Equal(before, ChangeCounter());
    }

    [ContractFact]
    public void SetDefaultGateway_UnknownTenant_IsNotFound()
    {
        Assert.Equal(GatewayErrorCode.NotFound, Refused(() => Store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0", tenant: "nosuch"))).Code);
    }

    [ContractFact]
    public void SetDefaultGateway_OverlapWhileRouting_IsRefusedButAllowedWithoutRouting()
    {
        Store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));
        var service = new NetworkExtensionService(Store);
        service.SetConfiguration("acme", true, false, null);

        var refused = Refused(() => Store.SetDefaultGateway(Gateway("web", "192.0.2.129", "255.255.255.128")));
        Assert.Equal("Network", Assert.Single(refused.Problems).Field);

        service.SetConfiguration("acme", false, false, null);
        Store.SetDefaultGateway(Gateway("web", "192.0.2.129", "255.255.255.128"));
        var turnOn = Refused(() => service.SetConfiguration("acme", true, false, null));
        Assert.Equal("RouteBetweenNetworks", Assert.Single(turnOn.Problems).Field);
        Assert.False(Store.GetConfiguration("acme").RouteBetweenNetworks);
    }

    [ContractFact]
    public void SetDefaultGateway_OtherTenantsSameSubnet_IsNoOverlap()
    {
        new NetworkExtensionService(Store).SetConfiguration("acme", true, false, null);
        Store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0", tenant: "globex"));

        Store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));

        Assert.Equal(2, Store.GetDefaultGateways(network: "prod").Count);
    }

    [ContractFact]
    public void RemoveDefaultGateway_Existing_RemovesOnlyIt()
    {
        Store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));
        Store.SetDefaultGateway(Gateway("web", "198.51.100.1", "255.255.255.0"));

        Store.RemoveDefaultGateway("ACME", "PROD");

        Assert.Equal(["web"], Store.GetDefaultGateways("acme").Select(g => g.Network));
        Assert.Equal(GatewayErrorCode.NotFound, Refused(() => Store.RemoveDefaultGateway("acme", "prod")).Code);
    }

    [ContractFact]
    public void TenantDeleted_ItsNetworkExtensionRowsGoToo()
    {
        Store.AddHardwarePlan(Plan());
        new NetworkExtensionService(Store).SetTenantHardwarePlan("acme", "Gold");
        Store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));

        Configuration.RemoveTenant("ACME");

        Assert.Empty(Store.GetDefaultGateways());
        Assert.Equal(["globex"], Store.GetConfigurations().Select(c => c.Tenant));
        Store.RemoveHardwarePlan("Gold");
    }

    [ContractFact]
    public void ServiceSetDefaultGateway_PartialInput_KeepsTheStoredParts()
    {
        var service = new NetworkExtensionService(Store);
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

    [ContractFact]
    public void ChangeCounter_EveryWrite_Grows()
    {
        var before = ChangeCounter();

        Store.AddHardwarePlan(Plan());
        Store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));

        Assert.Equal(before + 2, ChangeCounter());
    }

    [ContractFact]
    public void TenantRenamed_KeepsItsPlanAndGateways()
    {
        Store.AddHardwarePlan(Plan());
        new NetworkExtensionService(Store).SetTenantHardwarePlan("acme", "Gold");
        Store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));

        Configuration.UpdateTenant("acme", tenant => tenant with { Name = "Acme-Corp" });

        Assert.Equal("Gold", Store.GetConfiguration("acme-corp").HardwarePlan);
        Assert.Equal(["Acme-Corp"], Store.GetDefaultGateways(network: "prod").Select(g => g.Tenant));
        Assert.Equal(GatewayErrorCode.NotFound, Refused(() => Store.GetConfiguration("acme")).Code);
    }

    [ContractFact]
    public void ImportWithMerge_KeepsEveryTenantsSettings()
    {
        Store.AddHardwarePlan(Plan());
        new NetworkExtensionService(Store).SetConfiguration("acme", true, changePlan: true, "Gold");
        Store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));
        Store.SetDefaultGateway(Gateway("office", "198.51.100.1", "255.255.255.0", tenant: "globex"));
        var before = (Store.GetConfigurations(), Store.GetDefaultGateways());
        var path = Files.File("config.json");
        ConfigurationTransfer.Export(Configuration, path);

        ConfigurationTransfer.Import(Configuration, path, merge: true);

        Assert.Equal(before.Item1, Store.GetConfigurations());
        Assert.Equal(before.Item2, Store.GetDefaultGateways());
    }

    [ContractFact]
    public void ReplaceConfiguration_KeptTenantsKeepTheirSettingsDroppedTenantsLoseThem()
    {
        Store.AddHardwarePlan(Plan());
        new NetworkExtensionService(Store).SetTenantHardwarePlan("acme", "Gold");
        Store.SetDefaultGateway(Gateway("prod", "192.0.2.1", "255.255.255.0"));
        Store.SetDefaultGateway(Gateway("office", "198.51.100.1", "255.255.255.0", tenant: "globex"));

        Configuration.ReplaceConfiguration(document => document with
        {
            Tenants = [.. document.Tenants.Where(x => x.Tenant.Name != "globex").Select(x => x with { Tenant = x.Tenant with { Name = "initech" } })],
        });

        Assert.Equal([new DefaultGatewayConfiguration { Tenant = "initech", HardwarePlan = "Gold" }], Store.GetConfigurations());
        Assert.Equal([("initech", "prod")], Store.GetDefaultGateways().Select(g => (g.Tenant, g.Network)));
        Assert.Equal(["Gold"], Store.GetHardwarePlans().Select(p => p.Name));
    }

    [ContractFact]
    public void AddHardwarePlan_TwoStoresAtOnceSameName_ExactlyOneWins()
    {
        using var other = NetworkExtensionDatabase.OpenLocation(Location);
        var stores = new[] { Store, other };
        var outcomes = new GatewayErrorCode?[2];

        Parallel.For(0, 2, i =>
        {
            try
            {
                stores[i].AddHardwarePlan(Plan(i == 0 ? "Gold" : "GOLD"));
            }
            catch (GatewayException error)
            {
                outcomes[i] = error.Code;
            }
        });

        Assert.Equal(1, outcomes.Count(o => o is null));
        Assert.Equal(GatewayErrorCode.DuplicateName, Assert.Single(outcomes, o => o is not null));
        Assert.Single(other.GetHardwarePlans());
    }
}
