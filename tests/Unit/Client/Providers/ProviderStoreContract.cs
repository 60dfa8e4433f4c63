using CloudGateway.Client;
using CloudGateway.Client.Providers;
using CloudGateway.Tests.Storage;

namespace CloudGateway.Tests.Client.Providers;

/// <summary>
/// The behaviour every <see cref="IProviderStore"/> must have, on a real database: round trips, names without regard to
/// case, validation, passwords encrypted at rest under an owner-only key. A backend's test class supplies
/// <see cref="OpenStore"/> (each test has a new, empty database) and what its passwords look like at rest.
/// </summary>
public abstract class ProviderStoreContract : IDisposable
{
    protected const string Password = "correct horse battery staple";

    /// <summary>A folder for this test's files, deleted after the test.</summary>
    protected Tests.TempFolder Files { get; } = new();

    /// <summary>Opens the store on this test's database; every call opens the same database again.</summary>
    protected abstract IProviderStore OpenStore();

    /// <summary>The key file that encrypts this test's passwords.</summary>
    protected abstract string KeyPath { get; }

    /// <summary>Everything the backend keeps of the providers at rest, to look for the password in (the store is open).</summary>
    protected abstract byte[] BytesAtRest();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Files.Dispose();
        }
    }

    protected static CloudProvider Provider(string name = "sp") => new()
    {
        Name = name,
        Address = "gw1.sp.example",
        TenantName = "acme",
        CertificateThumbprint = "ab:" + new string('c', 62),
        Gateways =
        [
            new KnownGateway { Name = "gw1", Address = "gw1.sp.example", Port = 6180 },
            new KnownGateway { Name = "fb", Address = "10.0.0.9", Port = 7000, Fallback = true, Health = new GatewayHealth { ConsecutiveFailures = 2, LastError = "connection refused", CoolDownUntil = DateTimeOffset.UnixEpoch } },
        ],
        LastRefresh = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero),
    };

    [ContractFact]
    public void AddProvider_ThenReopen_RoundTripsEverythingButThePassword()
    {
        using (var store = OpenStore())
        {
            store.AddProvider(Provider(), Password);
        }

        using var reopened = OpenStore();
        var provider = reopened.GetProvider("SP");

        Assert.Equal("AB" + new string('C', 62), provider.CertificateThumbprint);
        Assert.Equal(["gw1", "fb"], provider.Gateways.Select(g => g.Name));
        Assert.Equal(2, provider.Gateways[1].Health.ConsecutiveFailures);
        Assert.Equal(DateTimeOffset.UnixEpoch, provider.Gateways[1].Health.CoolDownUntil);
        Assert.True(provider.Gateways[1].Fallback);
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero), provider.LastRefresh);
        Assert.Equal(Password, reopened.GetCredential("sp").Password);
        Assert.DoesNotContain(Password, provider.ToString(), StringComparison.Ordinal);
    }

    [ContractFact]
    public void AddProvider_Always_KeepsPasswordEncryptedAndKeyOwnerOnly()
    {
        using var store = OpenStore();
        store.AddProvider(Provider(), Password);

        var bytes = BytesAtRest();
        Assert.Equal(-1, bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(Password)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
        }
    }

    [ContractFact]
    public void GetCredential_KeyFileReplaced_ThrowsStoreUnavailableNamingTheFix()
    {
        using (var store = OpenStore())
        {
            store.AddProvider(Provider(), Password);
            File.Delete(KeyPath);
        }

        using var reopened = OpenStore();
        var ex = Assert.Throws<GatewayException>(() => reopened.GetCredential("sp"));

        Assert.Equal(GatewayErrorCode.StoreUnavailable, ex.Code);
        Assert.Contains("Set-CloudProvider -Credential", ex.Message, StringComparison.Ordinal);
    }

    // Found by an outside probe: with the key file's path mistyped, Add-CloudProvider made a new key and stored the new
    // password under it, leaving every secret sealed under the real key unreadable once the path was fixed.
    [ContractFact]
    public void AddProvider_KeyFileMissingWhileAnotherPasswordIsSealed_RefusedWithoutANewKey()
    {
        using (var store = OpenStore())
        {
            store.AddProvider(Provider("sp"), Password);
        }

        File.Move(KeyPath, KeyPath + ".elsewhere");
        using var reopened = OpenStore();

        var ex = Assert.Throws<GatewayException>(() => reopened.AddProvider(Provider("other"), Password));

        Assert.Equal(GatewayErrorCode.StoreUnavailable, ex.Code);
        Assert.Contains($"'{KeyPath}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the password of provider 'sp'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyPath));
        Assert.Equal(["sp"], reopened.GetProviders().Select(p => p.Name));

        File.Move(KeyPath + ".elsewhere", KeyPath);
        reopened.AddProvider(Provider("other"), Password);
        Assert.Equal(Password, reopened.GetCredential("sp").Password);
    }

    [ContractFact]
    public void UpdateProvider_NewPasswordOfTheOnlySealedSecretWhoseKeyIsLost_StoredUnderANewKey()
    {
        using (var store = OpenStore())
        {
            store.AddProvider(Provider(), Password);
        }

        File.Delete(KeyPath);
        using var reopened = OpenStore();

        reopened.UpdateProvider("sp", p => p, "a new password");

        Assert.Equal("a new password", reopened.GetCredential("sp").Password);
    }

    [ContractFact]
    public void AddProvider_KeyPathIsADirectory_SaysSoAndStoresNothing()
    {
        Directory.CreateDirectory(KeyPath);
        using var store = OpenStore();

        var ex = Assert.Throws<GatewayException>(() => store.AddProvider(Provider(), Password));

        Assert.Equal(GatewayErrorCode.StoreUnavailable, ex.Code);
        Assert.Contains($"'{KeyPath}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is a directory", ex.Message, StringComparison.Ordinal);
        Assert.Empty(store.GetProviders());
    }

    [ContractFact]
    public void GetCredential_KeyReadableByOthers_IsRefused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using (var store = OpenStore())
        {
            store.AddProvider(Provider(), Password);
            File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        }

        using var reopened = OpenStore();
        var ex = Assert.Throws<GatewayException>(() => reopened.GetCredential("sp"));
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
    }

    [ContractFact]
    public void AddProvider_DuplicateNameAnyCase_ThrowsDuplicateName()
    {
        using var store = OpenStore();
        store.AddProvider(Provider("sp"), Password);

        var ex = Assert.Throws<GatewayException>(() => store.AddProvider(Provider("SP"), Password));

        Assert.Equal(GatewayErrorCode.DuplicateName, ex.Code);
        Assert.Single(store.GetProviders());
    }

    // Found by an outside probe: the store compared names as SQLite's NOCASE does (ASCII letters only), so two
    // Add-CloudProvider calls racing past the cmdlets' own check stored 'ГОНКА1' and 'гонка1' side by side.
    [ContractFact]
    public void AddProvider_NameDifferingOnlyInNonAsciiCase_ThrowsDuplicateName()
    {
        using var store = OpenStore();
        store.AddProvider(Provider("ГОНКА1"), Password);
        store.AddProvider(Provider("other"), Password);

        Assert.Equal(GatewayErrorCode.DuplicateName, Assert.Throws<GatewayException>(() => store.AddProvider(Provider("гонка1"), Password)).Code);
        Assert.Equal(GatewayErrorCode.DuplicateName, Assert.Throws<GatewayException>(() => store.UpdateProvider("other", p => p with { Name = "Гонка1" })).Code);
        Assert.Equal(2, store.GetProviders().Count);
    }

    [ContractFact]
    public void AddProvider_EveryFieldBad_ReportsEveryProblemAndStoresNothing()
    {
        using var store = OpenStore();
        var bad = new CloudProvider { Name = "", Address = "not an address!", Port = 0, TenantName = "", CertificateThumbprint = "1234" };

        var ex = Assert.Throws<GatewayException>(() => store.AddProvider(bad, Password));

        Assert.Equal(["Name", "Address", "Port", "Credential", "CertificateThumbprint"], ex.Problems.Select(p => p.Field));
        Assert.Empty(store.GetProviders());
    }

    [ContractFact]
    public void UpdateProvider_NewPasswordAndName_KeepsListAndReplacesPassword()
    {
        using var store = OpenStore();
        store.AddProvider(Provider(), Password);

        store.UpdateProvider("sp", p => p with { Name = "sp2", Port = 7001 }, "new-password");

        Assert.Throws<GatewayException>(() => store.GetProvider("sp"));
        var updated = store.GetProvider("sp2");
        Assert.Equal(7001, updated.Port);
        Assert.Equal(2, updated.Gateways.Count);
        Assert.Equal("new-password", store.GetCredential("sp2").Password);
    }

    [ContractFact]
    public void UpdateProvider_InvalidChange_LeavesStoredProviderIntact()
    {
        using var store = OpenStore();
        store.AddProvider(Provider(), Password);

        Assert.Throws<GatewayException>(() => store.UpdateProvider("sp", p => p with { Port = 70000 }, "new-password"));

        Assert.Equal(6180, store.GetProvider("sp").Port);
        Assert.Equal(Password, store.GetCredential("sp").Password);
    }

    [ContractFact]
    public void SaveGatewayHealth_ThenSaveList_PersistsInOrder()
    {
        using var store = OpenStore();
        store.AddProvider(Provider(), Password);
        var health = new GatewayHealth { ConsecutiveFailures = 1, LastError = "timed out", LastFailure = DateTimeOffset.UnixEpoch };

        store.SaveGatewayHealth("sp", "gw1", health);
        Assert.Equal(health, store.GetProvider("sp").Gateways[0].Health);

        store.SaveGatewayList("sp", [new KnownGateway { Name = "gw3", Address = "127.0.0.3", Port = 1 }, new KnownGateway { Name = "gw1", Address = "gw1.sp.example", Port = 6180, Health = health }], DateTimeOffset.UnixEpoch);
        var provider = store.GetProvider("sp");
        Assert.Equal(["gw3", "gw1"], provider.Gateways.Select(g => g.Name));
        Assert.Equal(DateTimeOffset.UnixEpoch, provider.LastRefresh);
    }

    [ContractFact]
    public void RemoveProvider_Missing_ThrowsNotFound_AndRemovesGatewaysWhenPresent()
    {
        using var store = OpenStore();
        store.AddProvider(Provider(), Password);

        store.RemoveProvider("SP");

        Assert.Empty(store.GetProviders());
        Assert.Equal(GatewayErrorCode.NotFound, Assert.Throws<GatewayException>(() => store.RemoveProvider("sp")).Code);
    }

    [ContractFact]
    public void GetProviders_Always_OrdersAndMatchesNamesFoldingAsciiLetters()
    {
        using var store = OpenStore();
        foreach (var name in new[] { "b", "_x", "A", "\u00C4sp" })
        {
            store.AddProvider(Provider(name), Password);
        }

        Assert.Equal(["_x", "A", "b", "\u00C4sp"], store.GetProviders().Select(p => p.Name));
        Assert.Equal("A", store.GetProvider("a").Name);
        Assert.Equal(GatewayErrorCode.DuplicateName, Assert.Throws<GatewayException>(() => store.AddProvider(Provider("B"), Password)).Code);
    }
}
