using System.Management.Automation.Runspaces;
using System.Net;
using System.Runtime.CompilerServices;
using CloudGateway.Client.Providers;
using CloudGateway.Networking;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell;

/// <summary>
/// What one PowerShell runspace has chosen: the database it uses. Kept per runspace, so two runspaces in one
/// process (jobs, Pester) do not see each other's choice.
/// </summary>
internal sealed class ModuleSession : IDisposable
{
    private static readonly ConditionalWeakTable<Runspace, ModuleSession> Sessions = new();
    private static readonly ModuleSession NoRunspace = new();
    private IConfigurationStore? _store;
    private INetworkExtensionStore? _networkExtension;

    /// <summary>The session of the current runspace.</summary>
    public static ModuleSession Current =>
        Runspace.DefaultRunspace is { } runspace ? Sessions.GetValue(runspace, _ => new ModuleSession()) : NoRunspace;

    private Func<IConfigurationStore> _open;
    private Func<INetworkExtensionStore> _openNetworkExtension;
    private bool _isSqlite = true;

    private ModuleSession()
    {
        var path = ConfigurationDatabase.DefaultPath();
        DatabasePath = path;
        _open = () => ConfigurationDatabase.Open(path);
        _openNetworkExtension = () => NetworkExtensionDatabase.Open(path);
        OpenProviderStore = () => ProviderDatabase.Open(path);
    }

    /// <summary>
    /// The database this session uses, safe to show: a file path (the default location until Connect-CloudGatewayDatabase
    /// changes it), or a PostgreSQL connection string without its passwords.
    /// </summary>
    public string DatabasePath { get; private set; }

    /// <summary>The open store, opened on first use.</summary>
    public IConfigurationStore Store => _store ??= _open();

    /// <summary>The SQLite file of this session, for the part kept only in SQLite (service registration); a clear error on PostgreSQL.</summary>
    public string SqlitePath => _isSqlite
        ? DatabasePath
        : throw new GatewayException(GatewayErrorCode.PlatformNotSupported,
            "Service registration works on SQLite database files only; give -DatabasePath or connect this session with Connect-CloudGatewayDatabase -Path.",
            DatabasePath);

    /// <summary>The network extension tables of the same database (SQLite file or PostgreSQL), opened on first use.</summary>
    public INetworkExtensionStore NetworkExtension => _networkExtension ??= _openNetworkExtension();

    /// <summary>Opens another store on the same database, for a component that owns its store (the relay).</summary>
    public IConfigurationStore OpenAnotherStore() => _open();

    /// <summary>
    /// Opens the provider tables of the same database (SQLite file or PostgreSQL), for the tenant side, which owns its
    /// store because its tunnels outlive a switch; a new function each time the session switches databases.
    /// </summary>
    public Func<IProviderStore> OpenProviderStore { get; private set; }

    /// <summary>Switches this session to the SQLite database file at <paramref name="path"/> (created on first use), closing the previous store.</summary>
    public void UseFile(string path) =>
        Use(ConfigurationDatabase.Open(path), () => ConfigurationDatabase.Open(path), () => NetworkExtensionDatabase.Open(path), () => ProviderDatabase.Open(path), isSqlite: true);

    /// <summary>
    /// Switches this session to the PostgreSQL database of <paramref name="connectionString"/>, closing the previous
    /// store; the connection string and <paramref name="credential"/> are kept only to open that database again.
    /// </summary>
    public void UsePostgres(string connectionString, NetworkCredential? credential) =>
        Use(ConfigurationDatabase.OpenPostgres(connectionString, credential), () => ConfigurationDatabase.OpenPostgres(connectionString, credential),
            () => NetworkExtensionDatabase.OpenPostgres(connectionString, credential), () => ProviderDatabase.OpenPostgres(connectionString, credential), isSqlite: false);

    /// <summary>
    /// Switches this session to another store, closing the previous one. <paramref name="open"/> opens the same
    /// database again, <paramref name="openNetworkExtension"/> its network extension tables and
    /// <paramref name="openProviders"/> its provider tables; they may hold a connection string's password, which never
    /// leaves them.
    /// </summary>
    private void Use(IConfigurationStore store, Func<IConfigurationStore> open, Func<INetworkExtensionStore> openNetworkExtension, Func<IProviderStore> openProviders, bool isSqlite)
    {
        _store?.Dispose();
        _networkExtension?.Dispose();
        _networkExtension = null;
        _store = store;
        _open = open;
        _openNetworkExtension = openNetworkExtension;
        OpenProviderStore = openProviders;
        _isSqlite = isSqlite;
        DatabasePath = store.Location;
    }

    /// <summary>Closes the store of every runspace's session; the module is being removed.</summary>
    public static void CloseAll()
    {
        foreach (var (_, session) in Sessions)
        {
            session.Dispose();
        }

        Sessions.Clear();
        NoRunspace.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _store?.Dispose();
        _store = null;
        _networkExtension?.Dispose();
        _networkExtension = null;
    }
}
