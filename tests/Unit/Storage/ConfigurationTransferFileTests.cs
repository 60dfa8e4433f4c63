using CloudGateway.Model;
using CloudGateway.Storage;

namespace CloudGateway.Tests.Storage;

/// <summary>The export file holds the tenants' password hashes: it and any folder made for it are owner-only.</summary>
public sealed class ConfigurationTransferFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Export_IntoNewFolderOverWorldReadableFile_FileAndFolderOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var store = ConfigurationDatabase.Open(_folder.File("config.db"));
        store.AddGateway(new Gateway { Name = "gw1", Address = "gw1.example.net" });
        var path = _folder.File("exports/config.json");
        ConfigurationTransfer.Export(store, path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        ConfigurationTransfer.Export(store, path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder.File("exports")));
        Assert.False(File.Exists(path + ".tmp"));
    }
}
