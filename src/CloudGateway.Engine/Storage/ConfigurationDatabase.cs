using System.Net;
using CloudGateway.Security;
using CloudGateway.Storage.Postgres;
using CloudGateway.Storage.Sqlite;

namespace CloudGateway.Storage;

/// <summary>Where the configuration database lives by default, and how to open one.</summary>
public static class ConfigurationDatabase
{
    /// <summary>The environment variable that names the database file.</summary>
    public const string PathVariable = "CLOUDGATEWAY_DATABASE";

    /// <summary>
    /// The environment variable naming the key file that encrypts the gateways' private key and the cloud providers'
    /// passwords in a PostgreSQL database.
    /// Every gateway server sharing the database needs the same file (created owner-only on first use, then copied).
    /// </summary>
    public const string KeyFileVariable = "CLOUDGATEWAY_KEY_FILE";

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

    /// <summary>
    /// Opens the PostgreSQL configuration database named by an Npgsql connection string (Host=...;Database=...;
    /// Username=...;Password=...), creating the CloudGateway tables on first use; <paramref name="credential"/>, when
    /// given, replaces the user name and password. Its Location never shows the password.
    /// </summary>
    public static IConfigurationStore OpenPostgres(string connectionString, NetworkCredential? credential = null) =>
        PostgresConfigurationStore.Open(connectionString, credential);

    /// <summary>Opens <paramref name="location"/>: a PostgreSQL connection string when it has Host= or Server=, else a SQLite file path.</summary>
    public static IConfigurationStore OpenLocation(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        return IsConnectionString(location) ? OpenPostgres(location) : Open(location);
    }

    /// <summary>A PostgreSQL connection string without its passwords, safe to show; a malformed one is a ValidationFailed error that does not echo it.</summary>
    public static string RedactConnectionString(string connectionString) =>
        PostgresConnectionString.Redact(PostgresConnectionString.Parse(connectionString));

    /// <summary>
    /// An attention note for each file of <paramref name="store"/> that users other than its owner may read: a SQLite
    /// database, its -wal and -shm, and the key file of the gateways' private key. Looks at modes and access lists only.
    /// </summary>
    public static IReadOnlyList<OperationNote> ReviewFileAccess(IConfigurationStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var files = new List<(string Path, string Holds)>();
        const string DatabaseHolds = "the tenants' password hashes and the gateways' certificate";
        const string KeyHolds = "the key of the gateways' private key and the providers' passwords";
        if (store is SqliteConfigurationStore sqlite)
        {
            files.AddRange([(sqlite.Location, DatabaseHolds), (sqlite.Location + "-wal", DatabaseHolds), (sqlite.Location + "-shm", DatabaseHolds)]);
            files.Add((sqlite.KeyPath, KeyHolds));
        }
        else if (store is PostgresConfigurationStore { KeyPath: { } keyPath })
        {
            files.Add((keyPath, KeyHolds));
        }

        var fix = OperatingSystem.IsWindows() ? "remove the other accounts from its access list" : "chmod 600";
        return files
            .Select(file => (file.Path, file.Holds, How: OwnerOnlyAccess.OpenToOthers(file.Path)))
            .Where(file => file.How is not null)
            .Select(file => OperationNote.Attention($"'{file.Path}' may be read by other users ({file.How}) and holds {file.Holds}; restrict it to its owner ({fix})."))
            .ToList();
    }

    /// <summary>The key file <see cref="KeyFileVariable"/> names, or null when it is not set.</summary>
    internal static string? KeyFileFromEnvironment() =>
        Environment.GetEnvironmentVariable(KeyFileVariable) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>Whether <paramref name="location"/> is a PostgreSQL connection string rather than a file path.</summary>
    public static bool IsConnectionString(string location) => PostgresConnectionString.LooksLikeConnectionString(location);
}
