using CloudGateway.Model;
using CloudGateway.Relay;
using CloudGateway.Security;
using CloudGateway.Storage;

namespace CloudGateway.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IConfigurationStore"/> must have. A store implementation's test class derives
/// from this one and supplies <see cref="CreateStore"/>, which returns a new, empty store each time it is called.
/// </summary>
public abstract class ConfigurationStoreContract : IDisposable
{
    /// <summary>A password used by every test.</summary>
    protected const string Password = "correct horse battery staple";

    private static readonly Lazy<string> SharedHash = new(() => PasswordHasher.Hash(Password));

    /// <summary>The PBKDF2 hash of <see cref="Password"/>, computed once per test run (it costs about 0.3 s); other store suites use it too.</summary>
    internal static string PasswordHash => SharedHash.Value;

    private readonly TempFolder _files = new();

    /// <summary>A new, empty store; the caller disposes it.</summary>
    protected abstract IConfigurationStore CreateStore();

    /// <summary>A folder for this test's files, deleted after the test.</summary>
    protected TempFolder Files => _files;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _files.Dispose();
        }
    }

    protected static Gateway NewGateway(string name, string address = "gw.example.net", int port = 6180) =>
        new() { Name = name, Address = address, Port = port, Server = "server1" };

    protected static Tenant NewTenant(string name, params string[] pools) => new() { Name = name, Pools = pools };

    protected static TenantResource NewResource(string tenant, string name, string host = "10.0.0.5", int port = 443) =>
        new() { Tenant = tenant, Name = name, TargetHost = host, TargetPort = port };

    protected static GatewayException AssertFails(GatewayErrorCode code, Action action)
    {
        var error = Assert.Throws<GatewayException>(action);
        Assert.Equal(code, error.Code);
        return error;
    }

    // ---- gateways

    [ContractFact]
    public void AddGateway_New_ReturnsItAsStored()
    {
        using var store = CreateStore();
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);

        var added = store.AddGateway(NewGateway("Edge1") with { Description = "first", ListenAddress = "127.0.0.1" });

        var read = store.GetGateway("edge1");
        Assert.Equal(added, read);
        Assert.Equal(("Edge1", "first", "server1", "gw.example.net", 6180, "127.0.0.1", true, (string?)null),
            (read.Name, read.Description, read.Server, read.Address, read.Port, read.ListenAddress, read.Enabled, read.Pool));
        Assert.True(read.Created > before);
        Assert.Equal(read.Created, read.Modified);
    }

    [ContractFact]
    public void AddGateway_DirectMode_StoresInternalPortEqualToPort()
    {
        using var store = CreateStore();

        var added = store.AddGateway(NewGateway("g", port: 7000) with { InternalPort = 9999 });

        Assert.Equal(7000, added.InternalPort);
        Assert.Equal(7000, store.GetGateway("g").ListenPort);
    }

    [ContractFact]
    public void AddGateway_NatMode_KeepsInternalPort()
    {
        using var store = CreateStore();

        var added = store.AddGateway(NewGateway("g", port: 443) with { NetworkMode = NetworkMode.Nat, InternalPort = 6180 });

        Assert.Equal((NetworkMode.Nat, 443, 6180), (added.NetworkMode, added.Port, added.InternalPort));
    }

    [ContractFact]
    public void AddGateway_SameNameOtherCase_ThrowsDuplicateName()
    {
        using var store = CreateStore();
        store.AddGateway(NewGateway("Edge"));

        AssertFails(GatewayErrorCode.DuplicateName, () => store.AddGateway(NewGateway("EDGE")));
        Assert.Single(store.GetGateways());
    }

    [ContractFact]
    public void AddGateway_ManyInvalidFields_ReportsEveryProblemAndStoresNothing()
    {
        using var store = CreateStore();
        var counter = store.GetChangeCounter();

        var error = AssertFails(GatewayErrorCode.ValidationFailed, () => store.AddGateway(
            new Gateway { Name = "bad:name", Address = "not an address!", Port = 0, NetworkMode = NetworkMode.Nat, InternalPort = 70000, ListenAddress = "localhost" }));

        Assert.Equal(["Address", "InternalPort", "ListenAddress", "Name", "Port"], error.Problems.Select(p => p.Field).Order());
        Assert.Empty(store.GetGateways());
        Assert.Equal(counter, store.GetChangeCounter());
    }

    [ContractFact]
    public void GetGateway_Missing_ThrowsNotFound()
    {
        using var store = CreateStore();

        var error = AssertFails(GatewayErrorCode.NotFound, () => store.GetGateway("nope"));
        Assert.Equal("nope", error.Target);
    }

    [ContractFact]
    public void GetGateways_Several_OrderedByName()
    {
        using var store = CreateStore();
        foreach (var name in new[] { "charlie", "Alpha", "bravo" })
        {
            store.AddGateway(NewGateway(name));
        }

        Assert.Equal(["Alpha", "bravo", "charlie"], store.GetGateways().Select(g => g.Name));
    }

    [ContractFact]
    public void UpdateGateway_Rename_KeepsIdCreatedAndPool()
    {
        using var store = CreateStore();
        var original = store.AddGateway(NewGateway("old"));
        store.AddGateway(NewGateway("spare"));
        store.AddPool(new GatewayPool { Name = "p", Members = ["old"] });

        var updated = store.UpdateGateway("OLD", g => g with { Name = "new", Port = 7443, Id = Guid.NewGuid() });

        Assert.Equal((original.Id, original.Created, "p", 7443, 7443), (updated.Id, updated.Created, updated.Pool, updated.Port, updated.InternalPort));
        Assert.True(updated.Modified >= original.Modified);
        Assert.Equal(["new"], store.GetPool("p").Members);
        AssertFails(GatewayErrorCode.NotFound, () => store.GetGateway("old"));
    }

    [ContractFact]
    public void UpdateGateway_ToExistingName_ThrowsDuplicateName()
    {
        using var store = CreateStore();
        store.AddGateway(NewGateway("a"));
        store.AddGateway(NewGateway("b"));

        AssertFails(GatewayErrorCode.DuplicateName, () => store.UpdateGateway("a", g => g with { Name = "B" }));
        Assert.Equal(["a", "b"], store.GetGateways().Select(g => g.Name));
    }

    [ContractFact]
    public void UpdateGateway_InvalidChange_LeavesGatewayAsItWas()
    {
        using var store = CreateStore();
        var original = store.AddGateway(NewGateway("a"));

        AssertFails(GatewayErrorCode.ValidationFailed, () => store.UpdateGateway("a", g => g with { Port = 65536 }));

        Assert.Equal(original, store.GetGateway("a"));
    }

    [ContractFact]
    public void UpdateGateway_Missing_ThrowsNotFound()
    {
        using var store = CreateStore();

        AssertFails(GatewayErrorCode.NotFound, () => store.UpdateGateway("nope", g => g));
    }

    [ContractFact]
    public void RemoveGateway_Pooled_LeavesPoolWithoutIt()
    {
        using var store = CreateStore();
        store.AddGateway(NewGateway("a"));
        store.AddGateway(NewGateway("b"));
        store.AddPool(new GatewayPool { Name = "p", Members = ["a", "b"] }, force: true);

        store.RemoveGateway("A");

        Assert.Equal(["b"], store.GetPool("p").Members);
        AssertFails(GatewayErrorCode.NotFound, () => store.RemoveGateway("a"));
    }

    // ---- pools

    [ContractFact]
    public void AddPool_Members_KeepsOrderAndMarksGateways()
    {
        using var store = CreateStore();
        foreach (var name in new[] { "a", "b", "c", "standalone" })
        {
            store.AddGateway(NewGateway(name));
        }

        var pool = store.AddPool(new GatewayPool { Name = "Pool1", Description = "d", Members = ["c", "A", "b"] });

        Assert.Equal(["c", "a", "b"], store.GetPool("pool1").Members);
        Assert.Equal(pool.Id, store.GetPool("POOL1").Id);
        Assert.Equal([null, "Pool1", "Pool1", "Pool1"], store.GetGateways().Select(g => g.Pool).Reverse());
    }

    [ContractFact]
    public void AddPool_DuplicateName_ThrowsDuplicateName()
    {
        using var store = CreateStore();
        store.AddPool(new GatewayPool { Name = "p" });

        AssertFails(GatewayErrorCode.DuplicateName, () => store.AddPool(new GatewayPool { Name = "P" }));
    }

    [ContractFact]
    public void AddPool_GatewayInAnotherPool_ThrowsGatewayInAnotherPool()
    {
        using var store = CreateStore();
        store.AddGateway(NewGateway("a"));
        store.AddGateway(NewGateway("b"));
        store.AddGateway(NewGateway("c"));
        store.AddPool(new GatewayPool { Name = "p1", Members = ["a"] });

        var error = AssertFails(GatewayErrorCode.GatewayInAnotherPool, () => store.AddPool(new GatewayPool { Name = "p2", Members = ["b", "a"] }));

        Assert.Equal("a", error.Target);
        AssertFails(GatewayErrorCode.NotFound, () => store.GetPool("p2"));
        Assert.Null(store.GetGateway("b").Pool);
    }

    [ContractFact]
    public void AddPool_MissingMember_ThrowsNotFound()
    {
        using var store = CreateStore();

        AssertFails(GatewayErrorCode.NotFound, () => store.AddPool(new GatewayPool { Name = "p", Members = ["ghost"] }));
        Assert.Empty(store.GetPools());
    }

    [ContractFact]
    public void AddPool_RepeatedMember_ThrowsValidationFailed()
    {
        using var store = CreateStore();
        store.AddGateway(NewGateway("a"));

        var error = AssertFails(GatewayErrorCode.ValidationFailed, () => store.AddPool(new GatewayPool { Name = "p", Members = ["a", "A"] }));
        Assert.Equal("Members", error.Problems.Single().Field);
    }

    [ContractFact]
    public void AddPool_LastStandaloneGatewayWhileTenantUsesStandalone_ThrowsUnlessForced()
    {
        using var store = CreateStore();
        store.AddGateway(NewGateway("only"));
        store.AddTenant(NewTenant("t"), PasswordHash);

        AssertFails(GatewayErrorCode.LastStandaloneGateway, () => store.AddPool(new GatewayPool { Name = "p", Members = ["only"] }));
        Assert.Empty(store.GetPools());

        store.AddPool(new GatewayPool { Name = "p", Members = ["only"] }, force: true);
        Assert.Equal("p", store.GetGateway("only").Pool);
    }

    [ContractFact]
    public void AddPool_LastStandaloneGatewayWithoutStandaloneTenants_Succeeds()
    {
        using var store = CreateStore();
        store.AddGateway(NewGateway("only"));
        store.AddPool(new GatewayPool { Name = "other" });
        store.AddTenant(NewTenant("t", "other"), PasswordHash);

        store.AddPool(new GatewayPool { Name = "p", Members = ["only"] });

        Assert.Equal(["only"], store.GetPool("p").Members);
    }

    [ContractFact]
    public void AddPool_OtherStandaloneGatewayRemains_Succeeds()
    {
        using var store = CreateStore();
        store.AddGateway(NewGateway("a"));
        store.AddGateway(NewGateway("b"));
        store.AddTenant(NewTenant("t"), PasswordHash);

        store.AddPool(new GatewayPool { Name = "p", Members = ["a"] });

        Assert.Null(store.GetGateway("b").Pool);
    }

    [ContractFact]
    public void UpdatePool_ReplaceMembers_FormerMembersBecomeStandalone()
    {
        using var store = CreateStore();
        foreach (var name in new[] { "a", "b", "c" })
        {
            store.AddGateway(NewGateway(name));
        }

        store.AddPool(new GatewayPool { Name = "p", Members = ["a", "b"] });

        var updated = store.UpdatePool("p", p => p with { Members = ["c", "b"] });

        Assert.Equal(["c", "b"], updated.Members);
        Assert.Null(store.GetGateway("a").Pool);
        Assert.Equal("p", store.GetGateway("c").Pool);
    }

    [ContractFact]
    public void UpdatePool_TakingLastStandaloneGateway_ThrowsUnlessForced()
    {
        using var store = CreateStore();
        store.AddGateway(NewGateway("a"));
        store.AddGateway(NewGateway("b"));
        store.AddPool(new GatewayPool { Name = "p", Members = ["a"] });
        store.AddTenant(NewTenant("t"), PasswordHash);

        AssertFails(GatewayErrorCode.LastStandaloneGateway, () => store.UpdatePool("p", p => p with { Members = [.. p.Members, "b"] }));
        Assert.Equal(["a"], store.GetPool("p").Members);

        store.UpdatePool("p", p => p with { Members = [.. p.Members, "b"] }, force: true);
        Assert.Equal(["a", "b"], store.GetPool("p").Members);
    }

    [ContractFact]
    public void UpdatePool_SwapMemberForItsOnlyStandaloneReplacement_Succeeds()
    {
        using var store = CreateStore();
        store.AddGateway(NewGateway("a"));
        store.AddGateway(NewGateway("b"));
        store.AddPool(new GatewayPool { Name = "p", Members = ["a"] });
        store.AddTenant(NewTenant("t"), PasswordHash);

        store.UpdatePool("p", p => p with { Members = ["b"] });

        Assert.Null(store.GetGateway("a").Pool);
    }

    [ContractFact]
    public void UpdatePool_Rename_TenantsFollow()
    {
        using var store = CreateStore();
        store.AddPool(new GatewayPool { Name = "old" });
        store.AddPool(new GatewayPool { Name = "second" });
        store.AddTenant(NewTenant("t", "second", "old"), PasswordHash);

        store.UpdatePool("old", p => p with { Name = "renamed" });

        Assert.Equal(["second", "renamed"], store.GetTenant("t").Pools);
    }

    [ContractFact]
    public void UpdatePool_ToExistingName_ThrowsDuplicateName()
    {
        using var store = CreateStore();
        store.AddPool(new GatewayPool { Name = "a" });
        store.AddPool(new GatewayPool { Name = "b" });

        AssertFails(GatewayErrorCode.DuplicateName, () => store.UpdatePool("a", p => p with { Name = "b" }));
    }

    [ContractFact]
    public void RemovePool_AssignedToTenant_ThrowsPoolInUseUnlessForced()
    {
        using var store = CreateStore();
        store.AddGateway(NewGateway("a"));
        store.AddGateway(NewGateway("b"));
        store.AddPool(new GatewayPool { Name = "p", Members = ["a"] });
        store.AddPool(new GatewayPool { Name = "q" });
        store.AddTenant(NewTenant("only-p", "p"), PasswordHash);
        store.AddTenant(NewTenant("p-and-q", "p", "q"), PasswordHash);

        AssertFails(GatewayErrorCode.PoolInUse, () => store.RemovePool("p"));
        Assert.Equal(["a"], store.GetPool("p").Members);

        store.RemovePool("P", force: true);

        AssertFails(GatewayErrorCode.NotFound, () => store.GetPool("p"));
        Assert.Null(store.GetGateway("a").Pool);
        var onlyP = store.GetTenant("only-p");
        Assert.Equal((GatewaySelection.Standalone, 0), (onlyP.GatewaySelection, onlyP.Pools.Count));
        var both = store.GetTenant("p-and-q");
        Assert.Equal(GatewaySelection.Pools, both.GatewaySelection);
        Assert.Equal(["q"], both.Pools);
    }

    [ContractFact]
    public void RemovePool_Unused_MembersBecomeStandalone()
    {
        using var store = CreateStore();
        store.AddGateway(NewGateway("a"));
        store.AddPool(new GatewayPool { Name = "p", Members = ["a"] });

        store.RemovePool("p");

        Assert.Null(store.GetGateway("a").Pool);
        AssertFails(GatewayErrorCode.NotFound, () => store.RemovePool("p"));
    }

    // ---- tenants

    [ContractFact]
    public void AddTenant_WithPools_SelectsPoolsInOrder()
    {
        using var store = CreateStore();
        store.AddPool(new GatewayPool { Name = "p1" });
        store.AddPool(new GatewayPool { Name = "p2" });

        var tenant = store.AddTenant(NewTenant("Acme", "P2", "p1") with { MaxConcurrentSessions = 4, UploadBandwidth = 10_000_000, DownloadBandwidth = 5, GatewayFailover = true }, PasswordHash);

        Assert.Equal(GatewaySelection.Pools, tenant.GatewaySelection);
        Assert.Equal(["p2", "p1"], store.GetTenant("acme").Pools);
        Assert.Equal((4, 10_000_000L, 5L, true), (tenant.MaxConcurrentSessions, tenant.UploadBandwidth, tenant.DownloadBandwidth, tenant.GatewayFailover));
    }

    [ContractFact]
    public void AddTenant_NoPools_SelectsStandalone()
    {
        using var store = CreateStore();

        var tenant = store.AddTenant(NewTenant("t") with { GatewaySelection = GatewaySelection.Pools }, PasswordHash);

        Assert.Equal(GatewaySelection.Standalone, tenant.GatewaySelection);
    }

    [ContractFact]
    public void AddTenant_MissingPool_ThrowsPoolNotFound()
    {
        using var store = CreateStore();

        var error = AssertFails(GatewayErrorCode.PoolNotFound, () => store.AddTenant(NewTenant("t", "ghost"), PasswordHash));

        Assert.Equal("ghost", error.Target);
        Assert.Empty(store.GetTenants());
    }

    [ContractFact]
    public void AddTenant_SameNameOtherCase_ThrowsDuplicateName()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("acme"), PasswordHash);

        AssertFails(GatewayErrorCode.DuplicateName, () => store.AddTenant(NewTenant("ACME"), PasswordHash));
    }

    [ContractFact]
    public void AddTenant_LookalikeOfExistingName_ThrowsDuplicateNameAndStoresNothing()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("alice"), PasswordHash);

        // Cyrillic а (U+0430) and fullwidth Ａ (NFKC): each reads as "alice". Invisible characters are refused as
        // invalid names before the lookalike check (NameRulesTests).
        foreach (var lookalike in new[] { "\u0430lice", "\uFF21lice" })
        {
            var error = AssertFails(GatewayErrorCode.DuplicateName, () => store.AddTenant(NewTenant(lookalike), PasswordHash));
            Assert.Contains("looks the same", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(["alice"], store.GetTenants().Select(t => t.Name));
    }

    [ContractFact]
    public void UpdateTenant_RenamedToLookalike_ThrowsDuplicateNameButOtherChangesPass()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("alice"), PasswordHash);
        store.AddTenant(NewTenant("bob"), PasswordHash);

        AssertFails(GatewayErrorCode.DuplicateName, () => store.UpdateTenant("bob", t => t with { Name = "\u0430lice" }));
        Assert.Equal("kept", store.UpdateTenant("bob", t => t with { Description = "kept" }).Description);
    }

    [ContractFact]
    public void AddTenant_NotAHash_ThrowsValidationFailedWithoutTheValue()
    {
        using var store = CreateStore();

        var error = AssertFails(GatewayErrorCode.ValidationFailed, () => store.AddTenant(NewTenant("t"), "plain-secret-text"));

        Assert.Equal("PasswordHash", error.Problems.Single().Field);
        Assert.DoesNotContain("plain-secret-text", error.Message, StringComparison.Ordinal);
        Assert.Empty(store.GetTenants());
    }

    [ContractFact]
    public void AddTenant_InvalidFields_ReportsEveryProblem()
    {
        using var store = CreateStore();

        var error = AssertFails(GatewayErrorCode.ValidationFailed, () => store.AddTenant(
            new Tenant { Name = "bad/name.", MaxConcurrentSessions = -1, UploadBandwidth = -1, DownloadBandwidth = -2 }, PasswordHash));

        Assert.Equal(["DownloadBandwidth", "MaxConcurrentSessions", "Name", "Name", "UploadBandwidth"], error.Problems.Select(p => p.Field).Order());
    }

    [ContractFact]
    public void UpdateTenant_ClearPools_BecomesStandalone()
    {
        using var store = CreateStore();
        store.AddPool(new GatewayPool { Name = "p" });
        var original = store.AddTenant(NewTenant("t", "p"), PasswordHash);

        var updated = store.UpdateTenant("T", t => t with { Pools = [], Description = "now standalone", Enabled = false });

        Assert.Equal((original.Id, GatewaySelection.Standalone, "now standalone", false), (updated.Id, updated.GatewaySelection, updated.Description, updated.Enabled));
    }

    [ContractFact]
    public void UpdateTenant_MissingPool_ThrowsPoolNotFoundAndKeepsTenant()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("t"), PasswordHash);

        AssertFails(GatewayErrorCode.PoolNotFound, () => store.UpdateTenant("t", t => t with { Pools = ["ghost"] }));

        Assert.Equal(GatewaySelection.Standalone, store.GetTenant("t").GatewaySelection);
    }

    [ContractFact]
    public void SetTenantPassword_NewHash_IsWhatTheSnapshotHolds()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("t"), PasswordHash);
        var otherHash = PasswordHash.Replace("$600000$", "$600001$", StringComparison.Ordinal);

        store.SetTenantPassword("t", otherHash);

        Assert.Equal(otherHash, store.ReadSnapshot().Tenants.Single().PasswordHash);
        AssertFails(GatewayErrorCode.NotFound, () => store.SetTenantPassword("ghost", PasswordHash));
        AssertFails(GatewayErrorCode.ValidationFailed, () => store.SetTenantPassword("t", "x"));
    }

    [ContractFact]
    public void RemoveTenant_WithResources_RemovesThem()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("t"), PasswordHash);
        store.AddTenant(NewTenant("u"), PasswordHash);
        store.AddResource(NewResource("t", "repo"));
        store.AddResource(NewResource("u", "repo"));

        store.RemoveTenant("t");

        Assert.Equal(["u"], store.GetResources().Select(r => r.Tenant));
        AssertFails(GatewayErrorCode.NotFound, () => store.RemoveTenant("t"));
    }

    [ContractFact]
    public void RecordFailedLogon_ReachingThreshold_LocksForTheDuration()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("t"), PasswordHash);
        var policy = new LockoutPolicy(3, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)) { Sources = 2 };
        var start = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

        store.RecordFailedLogon("t", start, policy, sources: 1);
        var second = store.RecordFailedLogon("t", start.AddMinutes(1), policy, sources: 2);
        var third = store.RecordFailedLogon("T", start.AddMinutes(2), policy, sources: 2);

        Assert.Equal((2, (DateTimeOffset?)null), (second.FailedLogonCount, second.LockedUntil));
        Assert.Equal((3, start.AddMinutes(32)), (third.FailedLogonCount, third.LockedUntil));
        Assert.Equal(start.AddMinutes(2), store.GetTenant("t").LastFailedLogon);
    }

    [ContractFact]
    public void RecordFailedLogon_AfterTheWindow_StartsCountingAgain()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("t"), PasswordHash);
        var policy = new LockoutPolicy(3, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30));
        var start = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        store.RecordFailedLogon("t", start, policy, policy.Sources);
        store.RecordFailedLogon("t", start.AddMinutes(1), policy, policy.Sources);

        var later = store.RecordFailedLogon("t", start.AddMinutes(20), policy, policy.Sources);

        Assert.Equal((1, (DateTimeOffset?)null), (later.FailedLogonCount, later.LockedUntil));
    }

    [ContractFact]
    public void RecordFailedLogon_ThresholdFromTooFewSources_CountsWithoutLocking()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("t"), PasswordHash);
        var policy = new LockoutPolicy(2, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)) { Sources = 3 };
        var start = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

        store.RecordFailedLogon("t", start, policy, sources: 1);
        var fromTwo = store.RecordFailedLogon("t", start.AddMinutes(1), policy, sources: 2);
        var fromThree = store.RecordFailedLogon("t", start.AddMinutes(2), policy, sources: 3);

        Assert.Equal((2, (DateTimeOffset?)null), (fromTwo.FailedLogonCount, fromTwo.LockedUntil));
        Assert.Equal((3, start.AddMinutes(32)), (fromThree.FailedLogonCount, fromThree.LockedUntil));
    }

    [ContractFact]
    public void ForgiveFailedLogons_Locked_ClearsCountKeepsLastFailureAndLock()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("t"), PasswordHash);
        var policy = new LockoutPolicy(1, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)) { Sources = 1 };
        var locked = store.RecordFailedLogon("t", DateTimeOffset.UtcNow, policy, sources: 1);

        store.ForgiveFailedLogons("T");

        var forgiven = store.GetTenant("t");
        Assert.Equal((0, locked.LastFailedLogon, locked.LockedUntil), (forgiven.FailedLogonCount, forgiven.LastFailedLogon, forgiven.LockedUntil));
        AssertFails(GatewayErrorCode.NotFound, () => store.ForgiveFailedLogons("ghost"));
    }

    [ContractFact]
    public void ResetFailedLogons_Locked_ClearsCountAndLock()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("t"), PasswordHash);
        var policy = new LockoutPolicy(1, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)) { Sources = 1 };
        Assert.NotNull(store.RecordFailedLogon("t", DateTimeOffset.UtcNow, policy, sources: 1).LockedUntil);

        var reset = store.ResetFailedLogons("t");

        Assert.Equal((0, (DateTimeOffset?)null, (DateTimeOffset?)null), (reset.FailedLogonCount, reset.LastFailedLogon, reset.LockedUntil));
        AssertFails(GatewayErrorCode.NotFound, () => store.ResetFailedLogons("ghost"));
    }

    // ---- resources

    [ContractFact]
    public void AddResource_ToTenant_IsListedByTenantAndName()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("t"), PasswordHash);
        store.AddTenant(NewTenant("a"), PasswordHash);

        store.AddResource(NewResource("T", "vbr", "backup.sp.local", 9401) with { Description = "backup server" });
        store.AddResource(NewResource("t", "repo", "fd00::5", 2500));
        store.AddResource(NewResource("a", "repo"));

        Assert.Equal(["a/repo", "t/repo", "t/vbr"], store.GetResources().Select(r => $"{r.Tenant}/{r.Name}"));
        Assert.Equal(["repo", "vbr"], store.GetResources("T").Select(r => r.Name));
        var vbr = store.GetResource("t", "VBR");
        Assert.Equal(("t", "backup.sp.local", 9401, "backup server"), (vbr.Tenant, vbr.TargetHost, vbr.TargetPort, vbr.Description));
    }

    [ContractFact]
    public void AddResource_MissingTenant_ThrowsNotFound()
    {
        using var store = CreateStore();

        AssertFails(GatewayErrorCode.NotFound, () => store.AddResource(NewResource("ghost", "r")));
        AssertFails(GatewayErrorCode.NotFound, () => store.GetResources("ghost"));
    }

    [ContractFact]
    public void AddResource_SameNameOtherCaseSameTenant_ThrowsDuplicateName()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("t"), PasswordHash);
        store.AddResource(NewResource("t", "repo"));

        AssertFails(GatewayErrorCode.DuplicateName, () => store.AddResource(NewResource("t", "REPO")));
    }

    [ContractFact]
    public void AddResource_LookalikeOfSameTenantsResource_ThrowsDuplicateNameOtherTenantMayUseIt()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("t"), PasswordHash);
        store.AddTenant(NewTenant("u"), PasswordHash);
        store.AddResource(NewResource("t", "repo"));

        AssertFails(GatewayErrorCode.DuplicateName, () => store.AddResource(NewResource("t", "r\u0435p\u043E")));
        store.AddResource(NewResource("u", "r\u0435p\u043E"));
        Assert.Single(store.GetResources("t"));
    }

    [ContractFact]
    public void AddResource_InvalidTarget_ReportsEveryProblem()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("t"), PasswordHash);

        var error = AssertFails(GatewayErrorCode.ValidationFailed, () => store.AddResource(NewResource("t", "r", "bad host", 0)));

        Assert.Equal(["TargetHost", "TargetPort"], error.Problems.Select(p => p.Field).Order());
    }

    [ContractFact]
    public void UpdateResource_RenameAndRetarget_KeepsIdAndTenant()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("t"), PasswordHash);
        store.AddTenant(NewTenant("other"), PasswordHash);
        var original = store.AddResource(NewResource("t", "r"));

        var updated = store.UpdateResource("t", "R", r => r with { Name = "r2", TargetHost = "10.1.1.1", TargetPort = 8443, Tenant = "other" });

        Assert.Equal((original.Id, "t", "r2", "10.1.1.1", 8443), (updated.Id, updated.Tenant, updated.Name, updated.TargetHost, updated.TargetPort));
        AssertFails(GatewayErrorCode.NotFound, () => store.GetResource("t", "r"));
        AssertFails(GatewayErrorCode.NotFound, () => store.UpdateResource("t", "ghost", r => r));
    }

    [ContractFact]
    public void RemoveResource_Existing_IsGone()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("t"), PasswordHash);
        store.AddResource(NewResource("t", "r"));

        store.RemoveResource("t", "r");

        Assert.Empty(store.GetResources("t"));
        AssertFails(GatewayErrorCode.NotFound, () => store.RemoveResource("t", "r"));
    }

    // ---- change counter, certificate, snapshot

    [ContractFact]
    public void GetChangeCounter_EachCommittedChange_Grows()
    {
        using var store = CreateStore();
        var start = store.GetChangeCounter();

        store.AddGateway(NewGateway("a"));
        var afterAdd = store.GetChangeCounter();
        AssertFails(GatewayErrorCode.DuplicateName, () => store.AddGateway(NewGateway("a")));
        var afterFailure = store.GetChangeCounter();
        store.UpdateGateway("a", g => g with { Enabled = false });

        Assert.True(afterAdd > start);
        Assert.Equal(afterAdd, afterFailure);
        Assert.True(store.GetChangeCounter() > afterAdd);
    }

    [ContractFact]
    public void GatewayCertificate_SetThenGet_RoundTrips()
    {
        using var store = CreateStore();
        Assert.Null(store.GetGatewayCertificate());

        var second = CertificateFixture.NewPfx();
        store.SetGatewayCertificate(CertificateFixture.NewPfx());
        store.SetGatewayCertificate(second);

        Assert.Equal(second, store.GetGatewayCertificate());
        Assert.Equal(Thumbprint(second), store.ReadSnapshot().Certificates.Active);
        AssertFails(GatewayErrorCode.CertificateError, () => store.SetGatewayCertificate([]));
        AssertFails(GatewayErrorCode.CertificateError, () => store.SetGatewayCertificate([4, 5, 6, 7]));
    }

    [ContractFact]
    public void GatewayCertificate_StageSwitchRollback_MovesCertificatesBetweenSlots()
    {
        using var store = CreateStore();
        var (old, next) = (CertificateFixture.NewPfx(), CertificateFixture.NewPfx());
        AssertFails(GatewayErrorCode.NotFound, () => store.SetGatewayCertificate(next, CertificateSlot.Next));
        store.SetGatewayCertificate(old);
        AssertFails(GatewayErrorCode.CertificateExists, () => store.SetGatewayCertificate(old, CertificateSlot.Next));
        AssertFails(GatewayErrorCode.NotFound, () => store.SwitchGatewayCertificate(rollback: false));
        AssertFails(GatewayErrorCode.NotFound, () => store.SwitchGatewayCertificate(rollback: true));

        store.SetGatewayCertificate(next, CertificateSlot.Next);
        var staged = store.ReadSnapshot().Certificates;
        var switched = store.SwitchGatewayCertificate(rollback: false);
        store.SetGatewayCertificate(CertificateFixture.NewPfx(), CertificateSlot.Next);
        AssertFails(GatewayErrorCode.CertificateExists, () => store.SwitchGatewayCertificate(rollback: true));
        store.SwitchGatewayCertificate(rollback: false);
        var twice = store.GetCertificateState();

        Assert.Equal((Thumbprint(old), Thumbprint(next), null), (staged.Active, staged.Next, staged.Previous));
        Assert.Equal((Thumbprint(next), null, Thumbprint(old)), (switched.Active, switched.Next, switched.Previous));
        Assert.Equal(Thumbprint(next), twice.Previous);
        Assert.Equal(next, store.GetGatewayCertificate(CertificateSlot.Previous));
        var rolledBack = store.SwitchGatewayCertificate(rollback: true);
        Assert.Equal((Thumbprint(next), twice.Active, null), (rolledBack.Active, rolledBack.Next, rolledBack.Previous));
        Assert.Equal(next, store.GetGatewayCertificate());
    }

    [ContractFact]
    public void RecordCertificatePin_PerTenant_IsInTheSnapshotAndGoesWithTheTenant()
    {
        using var store = CreateStore();
        Populate(store);
        var tenant = store.GetTenants()[0].Name;
        AssertFails(GatewayErrorCode.NotFound, () => store.RecordCertificatePin("nobody", new string('A', 64)));

        store.RecordCertificatePin(tenant, new string('A', 64));
        store.RecordCertificatePin(tenant, new string('B', 64));

        Assert.Equal(new Dictionary<string, string> { [tenant] = new string('B', 64) }, store.ReadSnapshot().Certificates.LearnedByTenant);
        store.RemoveTenant(tenant);
        Assert.Empty(store.GetCertificateState().LearnedByTenant);
    }

    private static string Thumbprint(byte[] pfx)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(pfx, null);
        return certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
    }

    [ContractFact]
    public void ReadSnapshot_Populated_HoldsEverythingWithHashes()
    {
        using var store = CreateStore();
        Populate(store);

        var snapshot = store.ReadSnapshot();

        Assert.Equal(store.GetChangeCounter(), snapshot.ChangeCounter);
        Assert.Equal(store.GetGateways(), snapshot.Gateways);
        Assert.Equal(store.GetPools().Select(p => p.Name), snapshot.Pools.Select(p => p.Name));
        Assert.Equal(store.GetTenants().Select(t => t.Name), snapshot.Tenants.Select(t => t.Tenant.Name));
        Assert.All(snapshot.Tenants, t => Assert.True(PasswordHasher.Verify(Password, t.PasswordHash)));
        Assert.Equal(store.GetResources(), snapshot.Resources);
    }

    // ---- export and import

    [ContractFact]
    public void ExportThenImport_IntoEmptyStore_GivesEqualConfiguration()
    {
        using var source = CreateStore();
        Populate(source);
        source.SetGatewayCertificate(CertificateFixture.NewPfx());
        var path = Files.File("config.json");

        ConfigurationTransfer.Export(source, path);
        using var target = CreateStore();
        ConfigurationTransfer.Import(target, path, merge: false);

        Assert.Equal(Describe(source), Describe(target));
        Assert.Null(target.GetGatewayCertificate());
        var json = File.ReadAllText(path);
        Assert.DoesNotContain(Password, json, StringComparison.Ordinal);
        Assert.DoesNotContain("CQkJ", json, StringComparison.Ordinal);
        Assert.Contains("\"networkMode\": \"Nat\"", json, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [ContractFact]
    public void Import_WithoutMerge_ReplacesEverything()
    {
        using var store = CreateStore();
        Populate(store);
        using var other = CreateStore();
        other.AddGateway(NewGateway("lonely"));
        var path = Files.File("other.json");
        ConfigurationTransfer.Export(other, path);

        ConfigurationTransfer.Import(store, path, merge: false);

        Assert.Equal(Describe(other), Describe(store));
    }

    [ContractFact]
    public void Import_WithoutMergeSwappingNamesOfKeptObjects_Succeeds()
    {
        using var store = CreateStore();
        Populate(store);
        var document = ConfigurationDocument.FromSnapshot(store.ReadSnapshot());
        var a = document.Gateways.Single(g => g.Name == "edge-a");
        var b = document.Gateways.Single(g => g.Name == "edge-b");
        var path = ExportDocument(document with
        {
            Gateways = [.. document.Gateways.Select(g => g == a ? g with { Name = "edge-b" } : g == b ? g with { Name = "edge-a" } : g)],
            Pools = [.. document.Pools.Select(p => p with { Members = ["edge-a", "edge-b"] })],
        });

        ConfigurationTransfer.Import(store, path, merge: false);

        Assert.Equal(a.Id, store.GetGateway("edge-b").Id);
        Assert.Equal(a.Address, store.GetGateway("edge-b").Address);
        Assert.Equal(["edge-a", "edge-b"], store.GetPool("gold").Members);
    }

    [ContractFact]
    public void Import_WithMerge_AddsAndUpdatesByNameAndKeepsTheRest()
    {
        using var store = CreateStore();
        Populate(store);
        var edgeId = store.GetGateway("edge-a").Id;
        using var other = CreateStore();
        other.AddGateway(NewGateway("EDGE-A", "changed.example.net", 7000));
        other.AddGateway(NewGateway("brand-new"));
        other.AddPool(new GatewayPool { Name = "fresh", Members = ["brand-new"] });
        other.AddTenant(NewTenant("acme", "fresh") with { Description = "merged" }, PasswordHash);
        other.AddResource(NewResource("acme", "extra"));
        var path = Files.File("merge.json");
        ConfigurationTransfer.Export(other, path);

        ConfigurationTransfer.Import(store, path, merge: true);

        var edge = store.GetGateway("edge-a");
        Assert.Equal((edgeId, "changed.example.net", 7000), (edge.Id, edge.Address, edge.Port));
        Assert.Equal(["brand-new", "EDGE-A", "edge-b", "nat-1"], store.GetGateways().Select(g => g.Name));
        Assert.Equal(["fresh"], store.GetTenant("acme").Pools);
        Assert.Equal("merged", store.GetTenant("acme").Description);
        Assert.Equal(["extra", "repo", "vbr"], store.GetResources("acme").Select(r => r.Name));
        Assert.Equal(["initech"], store.GetTenants().Select(t => t.Name).Where(n => n != "acme"));
    }

    // Found by an outside probe: merging an export taken before a tenant was renamed added the tenant a second time.
    [ContractFact]
    public void Import_MergeAfterTenantAndGatewayRenamed_RefusedNamingBothNamesAndChangesNothing()
    {
        using var store = CreateStore();
        Populate(store);
        var path = Files.File("before-rename.json");
        ConfigurationTransfer.Export(store, path);
        store.UpdateTenant("acme", t => t with { Name = "acme-eu" });
        store.UpdateGateway("nat-1", g => g with { Name = "nat-edge" });
        var before = Describe(store);
        var counter = store.GetChangeCounter();

        var error = AssertFails(GatewayErrorCode.NameMismatch, () => ConfigurationTransfer.Import(store, path, merge: true));

        Assert.Contains("tenant 'acme' is 'acme-eu' in the database", error.Message, StringComparison.Ordinal);
        Assert.Contains("gateway 'nat-1' is 'nat-edge' in the database", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Describe(store));
        Assert.Equal(counter, store.GetChangeCounter());
    }

    [ContractFact]
    public void Import_MergeAfterRenamingBack_UpdatesTheSameTenant()
    {
        using var store = CreateStore();
        Populate(store);
        var id = store.GetTenant("acme").Id;
        var path = Files.File("before-rename.json");
        ConfigurationTransfer.Export(store, path);
        store.UpdateTenant("acme", t => t with { Name = "acme-eu", Description = "renamed" });
        store.UpdateTenant("acme-eu", t => t with { Name = "acme" });

        ConfigurationTransfer.Import(store, path, merge: true);

        Assert.Equal(["acme", "initech"], store.GetTenants().Select(t => t.Name).Order());
        Assert.Equal(id, store.GetTenant("acme").Id);
    }

    [ContractFact]
    public void Import_InvalidDocuments_ChangeNothing()
    {
        using var store = CreateStore();
        Populate(store);
        var good = Files.File("good.json");
        ConfigurationTransfer.Export(store, good);
        var json = File.ReadAllText(good);
        var before = Describe(store);
        var counter = store.GetChangeCounter();
        var cases = new (string Json, GatewayErrorCode Code)[]
        {
            ("{ not json", GatewayErrorCode.InvalidConfigurationDocument),
            (json.Replace("\"formatVersion\": 1", "\"formatVersion\": 99", StringComparison.Ordinal), GatewayErrorCode.InvalidConfigurationDocument),
            (json.Replace("\"port\": 7443", "\"port\": 0", StringComparison.Ordinal), GatewayErrorCode.ValidationFailed),
            (json.Replace("\"address\": \"edge-b.example.net\"", "\"address\": \"bad address\"", StringComparison.Ordinal), GatewayErrorCode.ValidationFailed),
            (json.Replace("\"name\": \"edge-b\"", "\"name\": \"EDGE-A\"", StringComparison.Ordinal), GatewayErrorCode.DuplicateName),
            (json.Replace("\"gold\"\n", "\"missing-pool\"\n", StringComparison.Ordinal), GatewayErrorCode.PoolNotFound),
            (json.Replace("\"passwordHash\": \"$pbkdf2", "\"passwordHash\": \"$md5", StringComparison.Ordinal), GatewayErrorCode.ValidationFailed),
            (json.Replace("\"formatVersion\": 1", "\"formatVersion\": 1, \"surprise\": true", StringComparison.Ordinal), GatewayErrorCode.InvalidConfigurationDocument),
        };

        foreach (var (text, code) in cases)
        {
            Assert.NotEqual(json, text == "{ not json" ? string.Empty : text);
            var path = Files.File($"bad-{Guid.NewGuid():N}.json");
            File.WriteAllText(path, text);
            foreach (var merge in new[] { false, true })
            {
                var error = Assert.Throws<GatewayException>(() => ConfigurationTransfer.Import(store, path, merge));
                Assert.True(code == error.Code, $"{text}\nmerge {merge}: expected {code}, got {error.Code}: {error.Message}");
            }
        }

        Assert.Equal(before, Describe(store));
        Assert.Equal(counter, store.GetChangeCounter());
    }

    [ContractFact]
    public void Import_MergeReferringToStoredPool_Succeeds()
    {
        using var store = CreateStore();
        Populate(store);
        var path = ExportDocument(new ConfigurationDocument { Tenants = [new TenantCredential(NewTenant("newbie", "gold"), PasswordHash)] });

        ConfigurationTransfer.Import(store, path, merge: true);

        Assert.Equal(["gold"], store.GetTenant("newbie").Pools);
        Assert.Equal(3, store.GetGateways().Count);
    }

    [ContractFact]
    public void Import_MergeBreakingAReference_ChangesNothing()
    {
        using var store = CreateStore();
        Populate(store);
        var before = Describe(store);
        var counter = store.GetChangeCounter();
        var missingPool = ExportDocument(new ConfigurationDocument { Tenants = [new TenantCredential(NewTenant("newbie", "ghost"), PasswordHash)] });
        var poolTwice = ExportDocument(new ConfigurationDocument { Gateways = [NewGateway("edge-a")], Pools = [new GatewayPool { Name = "gold", Members = ["edge-a", "edge-a"] }] });
        var orphan = ExportDocument(new ConfigurationDocument { Resources = [NewResource("nobody", "r")] });

        AssertFails(GatewayErrorCode.PoolNotFound, () => ConfigurationTransfer.Import(store, missingPool, merge: true));
        AssertFails(GatewayErrorCode.ValidationFailed, () => ConfigurationTransfer.Import(store, poolTwice, merge: true));
        AssertFails(GatewayErrorCode.NotFound, () => ConfigurationTransfer.Import(store, orphan, merge: true));
        AssertFails(GatewayErrorCode.PoolNotFound, () => ConfigurationTransfer.Import(store, missingPool, merge: false));

        Assert.Equal(before, Describe(store));
        Assert.Equal(counter, store.GetChangeCounter());
    }

    /// <summary>Writes a document to a temporary file and returns its path.</summary>
    protected string ExportDocument(ConfigurationDocument document)
    {
        var path = Files.File($"document-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, ConfigurationTransfer.Serialize(document));
        return path;
    }

    /// <summary>A small configuration touching every kind of object and option.</summary>
    protected static void Populate(IConfigurationStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.AddGateway(NewGateway("edge-a", "edge-a.example.net", 443) with { Description = "primary", ListenAddress = "::1" });
        store.AddGateway(NewGateway("edge-b", "edge-b.example.net", 7443));
        store.AddGateway(NewGateway("nat-1", "203.0.113.10", 443) with { NetworkMode = NetworkMode.Nat, InternalPort = 6180, Enabled = false });
        store.AddPool(new GatewayPool { Name = "gold", Description = "dedicated", Members = ["edge-b", "edge-a"] });
        store.AddTenant(NewTenant("acme", "gold") with { GatewayFailover = true, MaxConcurrentSessions = 8, UploadBandwidth = 10 * 1024 * 1024, LeaseExpiration = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero) }, PasswordHash);
        store.AddTenant(NewTenant("initech") with { Description = "standalone", Enabled = false }, PasswordHash);
        store.AddResource(NewResource("acme", "vbr", "vbr.sp.local", 10003));
        store.AddResource(NewResource("acme", "repo", "10.20.30.40", 2500));
        store.AddResource(NewResource("initech", "repo", "fd00::1", 2500));
    }

    /// <summary>The whole configuration as text, for comparing two stores.</summary>
    protected static string Describe(IConfigurationStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var snapshot = store.ReadSnapshot();
        return ConfigurationTransfer.Serialize(ConfigurationDocument.FromSnapshot(snapshot))
            + string.Join("\n", snapshot.Gateways.Select(g => $"{g.Name} in {g.Pool}"))
            + string.Join("\n", snapshot.Tenants.Select(t => $"{t.Tenant.Name} {t.Tenant.GatewaySelection}"));
    }

    // ---- what a relay reloads: the changes since a counter

    [ContractFact]
    public void ReadChangesSince_EveryKindOfChange_BringsTheRelaysConfigurationToTheWholeSnapshot()
    {
        using var store = CreateStore();
        store.AddPool(new GatewayPool { Name = "p1" });
        store.AddPool(new GatewayPool { Name = "p2" });
        store.AddTenant(NewTenant("alpha", "p1"), PasswordHash);
        store.AddResource(NewResource("alpha", "repo"));
        var relay = new RelayConfiguration(store.ReadSnapshot());
        string[] names = ["alpha", "beta", "gamma", "delta"];
        string[] resourceNames = ["repo", "repo2", "vault"];

        void Step(Action change)
        {
            change();
            var changes = store.ReadChangesSince(relay.ChangeCounter);
            Assert.NotNull(changes);
            relay = relay.Apply(changes);
            var whole = new RelayConfiguration(store.ReadSnapshot());
            Assert.Equal(whole.ChangeCounter, relay.ChangeCounter);
            foreach (var tenant in names)
            {
                Assert.Equal(Shown(whole.FindTenant(tenant)), Shown(relay.FindTenant(tenant)));
                foreach (var resource in resourceNames)
                {
                    Assert.Equal(Shown(whole.FindResource(tenant, resource)), Shown(relay.FindResource(tenant, resource)));
                }
            }

            Assert.Equal(whole.Pools.Select(p => p.Name), relay.Pools.Select(p => p.Name));
        }

        Step(() => store.AddTenant(NewTenant("beta", "p2"), PasswordHash));
        Step(() => store.AddResource(NewResource("beta", "vault")));
        Step(() => store.UpdateTenant("alpha", t => t with { Name = "gamma" }));
        Step(() => store.AddTenant(NewTenant("alpha"), PasswordHash));
        Step(() => store.AddResource(NewResource("alpha", "repo", port: 8443)));
        Step(() => store.UpdateResource("gamma", "repo", r => r with { Name = "repo2", TargetPort = 9000 }));
        Step(() => store.UpdatePool("p1", p => p with { Name = "p3" }));
        Step(() => store.UpdateTenant("beta", t => t with { Pools = ["p3", "p2"], Enabled = false }));
        Step(() => store.SetTenantPassword("beta", PasswordHasher.Hash("another password 1")));
        Step(() => store.RecordFailedLogon("alpha", DateTimeOffset.UtcNow, new LockoutPolicy(5, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)), 1));
        Step(() => store.RemoveResource("beta", "vault"));
        Step(() => store.RemoveTenant("gamma"));
        Step(() => store.UpdateTenant("beta", t => t with { Name = "gamma" }));
        Step(() => store.ReplaceConfiguration(document => document with
        {
            Tenants = [.. document.Tenants.Where(t => t.Tenant.Name != "alpha"), new TenantCredential(NewTenant("delta", "p2"), PasswordHash)],
            Resources = [.. document.Resources.Where(r => r.Tenant != "alpha"), NewResource("delta", "repo")],
        }));
        Step(() => { });

        Assert.Null(relay.FindTenant("alpha"));
        Assert.Equal(["p3", "p2"], relay.FindTenant("gamma")!.Tenant.Pools);
        Assert.Equal("delta", relay.FindResource("delta", "repo")!.Tenant);
    }

    [ContractFact]
    public void ReadChangesSince_NothingChanged_ListsNoTenantNorResource()
    {
        using var store = CreateStore();
        store.AddTenant(NewTenant("t"), PasswordHash);
        store.AddResource(NewResource("t", "repo"));
        var counter = store.GetChangeCounter();

        var changes = store.ReadChangesSince(counter)!;

        Assert.Equal(counter, changes.ChangeCounter);
        Assert.Empty(changes.Tenants);
        Assert.Empty(changes.Resources);
        Assert.Empty(changes.RemovedTenants);
        Assert.Empty(changes.RemovedResources);
        Assert.Null(store.ReadChangesSince(counter + 1));
    }

    // A row as text, so two reads of it compare by content.
    private static string Shown(object? row) => row is null ? "none" : System.Text.Json.JsonSerializer.Serialize(row);
}
