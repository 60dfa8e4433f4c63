using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace CloudGateway.PowerShell.Loading;

/// <summary>
/// Runs when the module is imported and removed. On import it routes the engine assembly, which the default load
/// context cannot find, into <see cref="EngineLoadContext"/>; on removal it stops the module's relay and every session's
/// tunnels, and closes every session's stores.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly Lazy<EngineLoadContext> Engine = new(() =>
        new EngineLoadContext(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? AppContext.BaseDirectory));

    /// <inheritdoc />
    public void OnImport()
    {
        // Removing first keeps one handler when the module is imported again into the same process.
        AssemblyLoadContext.Default.Resolving -= ResolveEngine;
        AssemblyLoadContext.Default.Resolving += ResolveEngine;
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        TenantSession.CloseAll();
        RelayHostHolder.StopAll();
        ModuleSession.CloseAll();
        AssemblyLoadContext.Default.Resolving -= ResolveEngine;
    }

    // Only the engine is routed; everything it needs then loads through the engine's own context. Outside the
    // packaged layout (no Dependencies folder) the default resolution is left alone.
    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == EngineLoadContext.EngineAssemblyName && Engine.Value.Holds(name) ? Engine.Value.LoadFromAssemblyName(name) : null;
}
