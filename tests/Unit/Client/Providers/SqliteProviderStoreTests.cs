using CloudGateway.Client;
using CloudGateway.Client.Providers;
using CloudGateway.Storage.Sqlite;
using CloudGateway.Tests.Client;
using Microsoft.Data.Sqlite;

namespace CloudGateway.Tests.Client.Providers;

public sealed class SqliteProviderStoreTests : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static CloudProvider Provider(string name = "sp") => new()
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

    [Fact]
    public void AddProvider_ThenReopen_RoundTripsEverythingButThePassword()
    {
        var path = _folder.File("cloudgateway.db");
        using (var store = SqliteProviderStore.Open(path))
        {
            store.AddProvider(Provider(), Password);
        }

        using var reopened = SqliteProviderStore.Open(path);
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

    [Fact]
    public void AddProvider_Always_KeepsPasswordEncryptedAndKeyOwnerOnly()
    {
        var path = _folder.File("cloudgateway.db");
        using var store = SqliteProviderStore.Open(path);
        store.AddProvider(Provider(), Password);
        SqliteConnection.ClearAllPools();

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(Password)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.KeyPath));
        }
    }

    [Fact]
    public void GetCredential_KeyFileReplaced_ThrowsStoreUnavailableNamingTheFix()
    {
        var path = _folder.File("cloudgateway.db");
        using (var store = SqliteProviderStore.Open(path))
        {
            store.AddProvider(Provider(), Password);
            File.Delete(store.KeyPath);
        }

        using var reopened = SqliteProviderStore.Open(path);
        var ex = Assert.Throws<GatewayException>(() => reopened.GetCredential("sp"));

        Assert.Equal(GatewayErrorCode.StoreUnavailable, ex.Code);
        Assert.Contains("Set-CloudProvider -Credential", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetCredential_KeyReadableByOthers_IsRefused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = _folder.File("cloudgateway.db");
        using (var store = SqliteProviderStore.Open(path))
        {
            store.AddProvider(Provider(), Password);
            File.SetUnixFileMode(store.KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        }

        using var reopened = SqliteProviderStore.Open(path);
        var ex = Assert.Throws<GatewayException>(() => reopened.GetCredential("sp"));
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddProvider_DuplicateNameAnyCase_ThrowsDuplicateName()
    {
        using var store = SqliteProviderStore.Open(_folder.File("db"));
        store.AddProvider(Provider("sp"), Password);

        var ex = Assert.Throws<GatewayException>(() => store.AddProvider(Provider("SP"), Password));

        Assert.Equal(GatewayErrorCode.DuplicateName, ex.Code);
        Assert.Single(store.GetProviders());
    }

    [Fact]
    public void AddProvider_EveryFieldBad_ReportsEveryProblemAndStoresNothing()
    {
        using var store = SqliteProviderStore.Open(_folder.File("db"));
        var bad = new CloudProvider { Name = "", Address = "not an address!", Port = 0, TenantName = "", CertificateThumbprint = "1234" };

        var ex = Assert.Throws<GatewayException>(() => store.AddProvider(bad, Password));

        Assert.Equal(["Name", "Address", "Port", "Credential", "CertificateThumbprint"], ex.Problems.Select(p => p.Field));
        Assert.Empty(store.GetProviders());
    }

    [Fact]
    public void UpdateProvider_NewPasswordAndName_KeepsListAndReplacesPassword()
    {
        using var store = SqliteProviderStore.Open(_folder.File("db"));
        store.AddProvider(Provider(), Password);

        store.UpdateProvider("sp", p => p with { Name = "sp2", Port = 7001 }, "new-password");

        Assert.Throws<GatewayException>(() => store.GetProvider("sp"));
        var updated = store.GetProvider("sp2");
        Assert.Equal(7001, updated.Port);
        Assert.Equal(2, updated.Gateways.Count);
        Assert.Equal("new-password", store.GetCredential("sp2").Password);
    }

    [Fact]
    public void UpdateProvider_InvalidChange_LeavesStoredProviderIntact()
    {
        using var store = SqliteProviderStore.Open(_folder.File("db"));
        store.AddProvider(Provider(), Password);

        Assert.Throws<GatewayException>(() => store.UpdateProvider("sp", p => p with { Port = 70000 }, "new-password"));

        Assert.Equal(6180, store.GetProvider("sp").Port);
        Assert.Equal(Password, store.GetCredential("sp").Password);
    }

    [Fact]
    public void SaveGatewayHealth_ThenSaveList_PersistsInOrder()
    {
        using var store = SqliteProviderStore.Open(_folder.File("db"));
        store.AddProvider(Provider(), Password);
        var health = new GatewayHealth { ConsecutiveFailures = 1, LastError = "timed out", LastFailure = DateTimeOffset.UnixEpoch };

        store.SaveGatewayHealth("sp", "gw1", health);
        Assert.Equal(health, store.GetProvider("sp").Gateways[0].Health);

        store.SaveGatewayList("sp", [new KnownGateway { Name = "gw3", Address = "127.0.0.3", Port = 1 }, new KnownGateway { Name = "gw1", Address = "gw1.sp.example", Port = 6180, Health = health }], DateTimeOffset.UnixEpoch);
        var provider = store.GetProvider("sp");
        Assert.Equal(["gw3", "gw1"], provider.Gateways.Select(g => g.Name));
        Assert.Equal(DateTimeOffset.UnixEpoch, provider.LastRefresh);
    }

    [Fact]
    public void RemoveProvider_Missing_ThrowsNotFound_AndRemovesGatewaysWhenPresent()
    {
        using var store = SqliteProviderStore.Open(_folder.File("db"));
        store.AddProvider(Provider(), Password);

        store.RemoveProvider("SP");

        Assert.Empty(store.GetProviders());
        Assert.Equal(GatewayErrorCode.NotFound, Assert.Throws<GatewayException>(() => store.RemoveProvider("sp")).Code);
    }

    [Fact]
    public void Open_FileIsNotADatabase_ThrowsNotAConfigurationDatabase()
    {
        var path = _folder.File("junk.db");
        File.WriteAllText(path, new string('x', 4096));

        var ex = Assert.Throws<GatewayException>(() => SqliteProviderStore.Open(path));

        Assert.Equal(GatewayErrorCode.NotAConfigurationDatabase, ex.Code);
        Assert.Equal(new string('x', 4096), File.ReadAllText(path));
    }
}
