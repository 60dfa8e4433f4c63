using CloudGateway.Storage;
using CloudGateway.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloudGateway.Tests.Storage.Sqlite;

/// <summary>What a copied SQLite database gives away: its files' modes, the private key, and the warnings about both.</summary>
public sealed class SqliteSecretsAtRestTests : IDisposable
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = OwnerFile | UnixFileMode.UserExecute;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Open_NewFileInNewFolders_DatabaseWalShmAndFoldersAreOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = _folder.File("made/here/config.db");
        using var store = ConfigurationDatabase.Open(path);
        store.AddGateway(new CloudGateway.Model.Gateway { Name = "gw1", Address = "gw1.example.net" });

        Assert.Equal(OwnerFile, File.GetUnixFileMode(path));
        Assert.Equal(OwnerFile, File.GetUnixFileMode(path + "-wal"));
        Assert.Equal(OwnerFile, File.GetUnixFileMode(path + "-shm"));
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(_folder.File("made/here")));
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(_folder.File("made")));
    }

    [Fact]
    public void Open_EmptyWorldReadableFile_IsReplacedOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = _folder.File("config.db");
        File.WriteAllBytes(path, []);
        File.SetUnixFileMode(path, OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var store = ConfigurationDatabase.Open(path);

        Assert.Equal(OwnerFile, File.GetUnixFileMode(path));
    }

    [Fact]
    public void SetGatewayCertificate_Always_PrivateKeyNotInTheDatabaseFiles()
    {
        var path = _folder.File("config.db");
        var pfx = CertificateFixture.NewPfx();
        using (var store = ConfigurationDatabase.Open(path))
        {
            store.SetGatewayCertificate(pfx);
            Assert.Equal(pfx, store.GetGatewayCertificate());
            SqliteConnection.ClearAllPools();
            Assert.False(CertificateFixture.FileContains(path, pfx));
            Assert.False(CertificateFixture.FileContains(path + "-wal", pfx));
        }

        using var reopened = ConfigurationDatabase.Open(path);
        Assert.Equal(pfx, reopened.GetGatewayCertificate());
    }

    [Fact]
    public void Open_UnencryptedCertificateOfAnEarlierVersion_EncryptsItAndStillReadsIt()
    {
        var path = _folder.File("config.db");
        var pfx = CertificateFixture.NewPfx();
        using (var database = SqliteDatabase.Open(path))
        {
            database.Write((c, t) => c.Execute(t, "INSERT INTO gateway_certificate (id, pkcs12, modified) VALUES (1, $p, 0)", ("$p", pfx)));
        }

        SqliteConnection.ClearAllPools();
        using (var store = ConfigurationDatabase.Open(path))
        {
            Assert.Equal(pfx, store.GetGatewayCertificate());
        }

        SqliteConnection.ClearAllPools();
        Assert.False(CertificateFixture.FileContains(path, pfx));
        Assert.True(File.Exists(path + ".key"));
    }

    [Fact]
    public void GetGatewayCertificate_KeyFileMissing_StoreUnavailableNamingTheKeyFileAndTheFix()
    {
        var path = _folder.File("config.db");
        var pfx = CertificateFixture.NewPfx();
        using (var store = ConfigurationDatabase.Open(path))
        {
            store.SetGatewayCertificate(pfx);
        }

        File.Delete(path + ".key");
        using var reopened = ConfigurationDatabase.Open(path);
        var ex = Assert.Throws<GatewayException>(() => reopened.GetGatewayCertificate());

        Assert.Equal(GatewayErrorCode.StoreUnavailable, ex.Code);
        Assert.Contains(path + ".key", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Set-CloudGatewayCertificate -Force", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path + ".key"));
    }

    [Fact]
    public void SetGatewayCertificate_ReplacingTheOnlySealedSecretWhoseKeyIsLost_StoredUnderANewKey()
    {
        var path = _folder.File("config.db");
        using (var store = ConfigurationDatabase.Open(path))
        {
            store.SetGatewayCertificate(CertificateFixture.NewPfx());
        }

        File.Delete(path + ".key");
        var replacement = CertificateFixture.NewPfx();
        using var reopened = ConfigurationDatabase.Open(path);

        reopened.SetGatewayCertificate(replacement);

        Assert.Equal(replacement, reopened.GetGatewayCertificate());
    }

    [Fact]
    public void GetGatewayCertificate_AnotherKeyFile_StoreUnavailable()
    {
        var path = _folder.File("config.db");
        using var store = ConfigurationDatabase.Open(path);
        store.SetGatewayCertificate(CertificateFixture.NewPfx());
        using (var other = ConfigurationDatabase.Open(_folder.File("other.db")))
        {
            other.SetGatewayCertificate(CertificateFixture.NewPfx());
        }

        File.Copy(_folder.File("other.db.key"), path + ".key", overwrite: true);
        using var reopened = ConfigurationDatabase.Open(path);
        var ex = Assert.Throws<GatewayException>(() => reopened.GetGatewayCertificate());

        Assert.Equal(GatewayErrorCode.StoreUnavailable, ex.Code);
        Assert.Contains("cannot be decrypted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReviewFileAccess_NewDatabase_NoNote()
    {
        using var store = ConfigurationDatabase.Open(_folder.File("config.db"));
        store.SetGatewayCertificate(CertificateFixture.NewPfx());

        Assert.Empty(ConfigurationDatabase.ReviewFileAccess(store));
    }

    [Fact]
    public void ReviewFileAccess_DatabaseAndKeyReadableByOthers_AttentionNamingEachFile()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = _folder.File("config.db");
        using var store = ConfigurationDatabase.Open(path);
        store.SetGatewayCertificate(CertificateFixture.NewPfx());
        File.SetUnixFileMode(path, OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(path + ".key", OwnerFile | UnixFileMode.OtherRead);

        var notes = ConfigurationDatabase.ReviewFileAccess(store);

        Assert.All(notes, note => Assert.Equal(NoteKind.Attention, note.Kind));
        Assert.Collection(notes,
            note => Assert.Contains($"'{path}' may be read by other users (mode 0644)", note.Message, StringComparison.Ordinal),
            note => Assert.Contains($"'{path}.key' may be read by other users (mode 0604)", note.Message, StringComparison.Ordinal));
        Assert.All(notes, note => Assert.Contains("chmod 600", note.Message, StringComparison.Ordinal));
    }
}
