using CloudGateway.Storage.Sqlite;

namespace CloudGateway.Storage;

/// <summary>Where the configuration database lives by default, and how to open one.</summary>
public static class ConfigurationDatabase
{
    /// <summary>The environment variable that names the database file.</summary>
    public const string PathVariable = "CLOUDGATEWAY_DATABASE";

    /// <summary>
    /// <c>CLOUDGATEWAY_DATABASE</c> when set, else <c>cloudgateway.db</c> in the per-platform data folder
    /// (<c>%LOCALAPPDATA%\CloudGateway</c>, <c>$XDG_DATA_HOME/cloudgateway</c> or <c>~/.local/share/cloudgateway</c>).
    /// </summary>
    public static string DefaultPath()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        var dataFolder = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        var folder = OperatingSystem.IsWindows() ? Path.Combine(dataFolder, "CloudGateway") : Path.Combine(dataFolder, "cloudgateway");
        return Path.Combine(folder, "cloudgateway.db");
    }

    /// <summary>
    /// Opens (creating on first use) the SQLite configuration database at <paramref name="path"/>. A file that is not a
    /// CloudGateway database, is damaged or has a newer schema is refused with NotAConfigurationDatabase,
    /// DatabaseCorrupt or SchemaTooNew and left unchanged.
    /// </summary>
    public static IConfigurationStore Open(string path) => SqliteConfigurationStore.Open(path);
}
