using CloudGateway.Storage;
using CloudGateway.Storage.Postgres;

namespace CloudGateway.Tests.Storage.Postgres;

/// <summary>The gateways' private key in a shared PostgreSQL database: encrypted under the key file every server shares.</summary>
public sealed class PostgresCertificateKeyTests : IDisposable
{
    private readonly PostgresTestSchema? _schema = PostgresTestServer.ConnectionString is null ? null : new PostgresTestSchema();
    private readonly TempFolder _folder = new();

    private PostgresTestSchema Schema => _schema ?? throw new InvalidOperationException(PostgresTestServer.SkipReason);

    public void Dispose()
    {
        _schema?.Dispose();
        _folder.Dispose();
    }

    [PostgresFact]
    public void SetGatewayCertificate_SharedKeyFile_EncryptedInTheDatabaseAndReadByAnotherServer()
    {
        var key = _folder.File("shared.key");
        var pfx = CertificateFixture.NewPfx();
        using var first = PostgresConfigurationStore.Open(Schema.ConnectionString, keyFile: key);
        first.SetGatewayCertificate(pfx);
        var copied = _folder.File("copied.key");
        File.Copy(key, copied);

        using var second = PostgresConfigurationStore.Open(Schema.ConnectionString, keyFile: copied);

        Assert.Equal(pfx, second.GetGatewayCertificate());
        Assert.NotEqual(pfx, RawCertificate());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
    }

    [PostgresFact]
    public void SetGatewayCertificate_NoKeyFileSetting_StoreUnavailableNamingTheSetting()
    {
        using var store = PostgresConfigurationStore.Open(Schema.ConnectionString, keyFile: null);
        if (store.KeyPath is not null)
        {
            return;
        }

        var ex = Assert.Throws<GatewayException>(() => store.SetGatewayCertificate(CertificateFixture.NewPfx()));

        Assert.Equal(GatewayErrorCode.StoreUnavailable, ex.Code);
        Assert.Contains(ConfigurationDatabase.KeyFileVariable, ex.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public void GetGatewayCertificate_AnotherServersKey_StoreUnavailableNamingTheSettingWithoutTheKey()
    {
        using (var first = PostgresConfigurationStore.Open(Schema.ConnectionString, keyFile: _folder.File("first.key")))
        {
            first.SetGatewayCertificate(CertificateFixture.NewPfx());
        }

        using (var other = PostgresConfigurationStore.Open(Schema.ConnectionString, keyFile: _folder.File("other.key")))
        {
            var ex = Assert.Throws<GatewayException>(() => other.GetGatewayCertificate());

            Assert.Equal(GatewayErrorCode.StoreUnavailable, ex.Code);
            Assert.Contains(ConfigurationDatabase.KeyFileVariable, ex.Message, StringComparison.Ordinal);
            Assert.Contains(_folder.File("other.key"), ex.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(_folder.File("other.key")));
        }
    }

    [PostgresFact]
    public void Open_UnencryptedCertificateOfAnEarlierVersion_EncryptedOnceAKeyIsSet()
    {
        var pfx = CertificateFixture.NewPfx();
        PostgresConfigurationStore.Open(Schema.ConnectionString, keyFile: _folder.File("shared.key")).Dispose();
        PostgresTestServer.Execute(Schema.ConnectionString, "INSERT INTO gateway_certificate (id, pkcs12, modified) VALUES (1, decode('" + Convert.ToHexString(pfx) + "', 'hex'), now())");

        using (var withoutKey = PostgresConfigurationStore.Open(Schema.ConnectionString, keyFile: null))
        {
            Assert.Equal(pfx, withoutKey.GetGatewayCertificate());
        }

        using var withKey = PostgresConfigurationStore.Open(Schema.ConnectionString, keyFile: _folder.File("shared.key"));

        Assert.NotEqual(pfx, RawCertificate());
        Assert.Equal(pfx, withKey.GetGatewayCertificate());
    }

    [PostgresFact]
    public void SetGatewayCertificate_NextWithAMistypedKeyFileWhileTheActiveIsSealed_RefusedNamingTheSetting()
    {
        using (var first = PostgresConfigurationStore.Open(Schema.ConnectionString, keyFile: _folder.File("shared.key")))
        {
            first.SetGatewayCertificate(CertificateFixture.NewPfx());
        }

        var mistyped = _folder.File("shraed.key");
        using var store = PostgresConfigurationStore.Open(Schema.ConnectionString, keyFile: mistyped);

        var ex = Assert.Throws<GatewayException>(() => store.SetGatewayCertificate(CertificateFixture.NewPfx(), CertificateSlot.Next));

        Assert.Equal(GatewayErrorCode.StoreUnavailable, ex.Code);
        Assert.Contains($"'{mistyped}' named by {ConfigurationDatabase.KeyFileVariable} does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the active gateway certificate", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(mistyped));
        Assert.Null(store.GetCertificateState().Next);
    }

    [PostgresFact]
    public void GetGatewayCertificate_KeyFileSettingNamesADirectory_SaysItIsADirectory()
    {
        using (var first = PostgresConfigurationStore.Open(Schema.ConnectionString, keyFile: _folder.File("shared.key")))
        {
            first.SetGatewayCertificate(CertificateFixture.NewPfx());
        }

        using var store = PostgresConfigurationStore.Open(Schema.ConnectionString, keyFile: _folder.Path);

        var ex = Assert.Throws<GatewayException>(() => store.GetGatewayCertificate());

        Assert.Contains($"'{_folder.Path}' named by {ConfigurationDatabase.KeyFileVariable} is a directory", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", ex.Message, StringComparison.Ordinal);
    }

    private byte[] RawCertificate() => PostgresTestServer.Scalar<byte[]>(Schema.ConnectionString, "SELECT pkcs12 FROM gateway_certificate WHERE id = 1");
}
