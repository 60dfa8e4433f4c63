using CloudGateway.Model;
using CloudGateway.Security;
using CloudGateway.Storage;

namespace CloudGateway.Tests.Storage;

/// <summary>The notes a change returns: what it did, and the tenants and gateways it leaves for the administrator to act on.</summary>
public sealed class ConfigurationReviewTests : IDisposable
{
    private static readonly string Hash = PasswordHasher.Hash("review-password-1");
    private readonly TempFolder _temp = new();
    private readonly IConfigurationStore _store;

    public ConfigurationReviewTests()
    {
        _store = ConfigurationDatabase.Open(_temp.File("review.db"));
        _store.AddGateway(new Gateway { Name = "gw1", Address = "127.0.0.1" });
        _store.AddGateway(new Gateway { Name = "gw2", Address = "127.0.0.2" });
        _store.AddGateway(new Gateway { Name = "solo", Address = "127.0.0.3" });
        _store.AddPool(new GatewayPool { Name = "p1", Members = ["gw1", "gw2"] });
        _store.AddTenant(new Tenant { Name = "strict", Pools = ["p1"], GatewaySelection = GatewaySelection.Pools }, Hash);
        _store.AddTenant(new Tenant { Name = "flexible", Pools = ["p1"], GatewaySelection = GatewaySelection.Pools, GatewayFailover = true }, Hash);
        _store.AddTenant(new Tenant { Name = "standalone" }, Hash);
    }

    public void Dispose()
    {
        _store.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void AfterGatewayChange_PoolKeepsAnEnabledGateway_SaysWhatChangedAndWarnsOfNothing()
    {
        var gateway = _store.UpdateGateway("gw1", g => g with { Enabled = false });

        var notes = ConfigurationReview.AfterGatewayChange(_store, gateway, "disabled");

        var detail = Assert.Single(notes);
        Assert.Equal(NoteKind.Detail, detail.Kind);
        Assert.Equal($"Gateway 'gw1' (row {gateway.Id}) disabled: change {_store.GetChangeCounter()}, which the relays pick up within 2 seconds; it concerns gateway(s) gw1.", detail.Message);
    }

    [Fact]
    public void AfterGatewayChange_LastEnabledGatewayOfAPool_NamesEachTenantAndWhetherItFallsBack()
    {
        _store.UpdateGateway("gw1", g => g with { Enabled = false });
        var gateway = _store.UpdateGateway("gw2", g => g with { Enabled = false });

        var warnings = ConfigurationReview.AfterGatewayChange(_store, gateway, "disabled").Where(n => n.Kind == NoteKind.Attention).Select(n => n.Message);

        Assert.Equal(
            [
                "No gateway of the pools of tenant 'flexible' (p1) is enabled: it falls back to the standalone gateways.",
                "No gateway of the pools of tenant 'strict' (p1) is enabled: it cannot connect until one is enabled (Enable-CloudGateway) or it may fail over (Set-CloudTenant -GatewayFailover).",
            ],
            warnings);
    }

    [Fact]
    public void AfterTenantChange_NamesTheGatewaysThatServeIt()
    {
        var pooled = ConfigurationReview.AfterTenantChange(_store, _store.GetTenant("flexible"), "updated");
        var alone = ConfigurationReview.AfterTenantChange(_store, _store.GetTenant("standalone"), "updated");

        Assert.EndsWith("it concerns gateway(s) gw1, gw2, solo.", Assert.Single(pooled).Message, StringComparison.Ordinal);
        Assert.EndsWith("it concerns gateway(s) solo.", Assert.Single(alone).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AfterImport_ListsRowsAddedUpdatedAndRemovedByKind()
    {
        var before = ConfigurationDocument.FromSnapshot(_store.ReadSnapshot());
        var after = _store.ReplaceConfiguration(current => current with
        {
            Gateways = [.. current.Gateways.Where(g => g.Name != "solo").Select(g => g.Name == "gw2" ? g with { Port = 7000 } : g), new Gateway { Name = "gw3", Address = "127.0.0.4" }],
            Tenants = [.. current.Tenants.Where(t => t.Tenant.Name != "standalone")],
        });

        var details = ConfigurationReview.AfterImport(_store, before, after).Where(n => n.Kind == NoteKind.Detail).Select(n => n.Message).ToList();

        Assert.Equal("Gateways: 1 added (gw3); 1 updated (gw2); 1 removed (solo).", details[0]);
        Assert.Equal("Pools: none added; none updated; none removed.", details[1]);
        Assert.Equal("Tenants: none added; none updated; 1 removed (standalone).", details[2]);
    }
}
