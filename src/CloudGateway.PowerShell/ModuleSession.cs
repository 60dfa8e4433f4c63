using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
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

    /// <summary>The session of the current runspace.</summary>
    public static ModuleSession Current =>
        Runspace.DefaultRunspace is { } runspace ? Sessions.GetValue(runspace, _ => new ModuleSession()) : NoRunspace;

    /// <summary>The database path this session uses; the default location until Connect-CloudGatewayDatabase changes it.</summary>
    public string DatabasePath { get; private set; } = ConfigurationDatabase.DefaultPath();

    /// <summary>The open store, opened on first use.</summary>
    public IConfigurationStore Store => _store ??= ConfigurationDatabase.Open(DatabasePath);

    /// <summary>Switches this session to another store, closing the previous one.</summary>
    public void Use(IConfigurationStore store, string path)
    {
        _store?.Dispose();
        _store = store;
        DatabasePath = path;
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
    }
}
