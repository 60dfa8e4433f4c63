using CloudGateway.Client.Providers;
using CloudGateway.Security;
using CloudGateway.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloudGateway.Tests.Client.Providers;

/// <summary>The provider store contract on a real SQLite database file, and what only a file has.</summary>
public sealed class SqliteProviderStoreTests : ProviderStoreContract
{
    private string DatabasePath => Files.File("cloudgateway.db");

    protected override string KeyPath => SecretProtector.KeyPathFor(DatabasePath);

    protected override IProviderStore OpenStore() => SqliteProviderStore.Open(DatabasePath);

    protected override byte[] BytesAtRest()
    {
        SqliteConnection.ClearAllPools();
        return File.ReadAllBytes(DatabasePath);
    }

    [Fact]
    public void Open_Always_KeepsTheKeyBesideTheDatabase()
    {
        using var store = SqliteProviderStore.Open(DatabasePath);

        Assert.Equal(KeyPath, store.KeyPath);
    }

    [Fact]
    public void Open_FileIsNotADatabase_ThrowsNotAConfigurationDatabase()
    {
        var path = Files.File("junk.db");
        File.WriteAllText(path, new string('x', 4096));

        var ex = Assert.Throws<GatewayException>(() => SqliteProviderStore.Open(path));

        Assert.Equal(GatewayErrorCode.NotAConfigurationDatabase, ex.Code);
        Assert.Equal(new string('x', 4096), File.ReadAllText(path));
    }
}
