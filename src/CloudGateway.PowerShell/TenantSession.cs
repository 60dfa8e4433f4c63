using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using CloudGateway.Client.Providers;
using CloudGateway.Tunnels;

namespace CloudGateway.PowerShell;

/// <summary>
/// The tenant-side state of one runspace: the provider store (on the database the session uses) and the tunnels
/// started in it, which live until Stop-CloudTunnel or until the session is disposed.
/// </summary>
internal sealed class TenantSession : IDisposable
{
    private static readonly ConditionalWeakTable<Runspace, TenantSession> Sessions = new();
    private static readonly TenantSession NoRunspace = new();
    private readonly object _gate = new();
    private IProviderStore? _store;
    private Func<IProviderStore>? _openedWith;
    private ProviderOperations? _providers;

    /// <summary>The session of the current runspace.</summary>
    public static TenantSession Current =>
        Runspace.DefaultRunspace is { } runspace ? Sessions.GetValue(runspace, _ => new TenantSession()) : NoRunspace;

    /// <summary>The tunnels started in this runspace.</summary>
    public TunnelRegistry Tunnels { get; } = new();

    /// <summary>The provider operations on the database this runspace uses, reopened when it switches databases.</summary>
    public ProviderOperations Providers
    {
        get
        {
            var open = ModuleSession.Current.OpenProviderStore;
            lock (_gate)
            {
                if (_store is null || !ReferenceEquals(_openedWith, open))
                {
                    _store?.Dispose();
                    _store = open();
                    _openedWith = open;
                    _providers = new ProviderOperations(_store);
                }

                return _providers!;
            }
        }
    }

    /// <summary>Runs an engine operation to completion; Ctrl+C stops the pipeline instead of surfacing as an error.</summary>
    public static T Run<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            return operation(cancellationToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Stops the tunnels and closes the provider store of every runspace; the module is being removed.</summary>
    public static void CloseAll()
    {
        foreach (var (_, session) in Sessions)
        {
            session.Dispose();
        }

        Sessions.Clear();
        NoRunspace.Dispose();
    }

    /// <summary>Stops every tunnel and closes the store.</summary>
    public void Dispose()
    {
        Tunnels.DisposeAsync().AsTask().GetAwaiter().GetResult();
        lock (_gate)
        {
            _store?.Dispose();
            _store = null;
        }
    }
}
