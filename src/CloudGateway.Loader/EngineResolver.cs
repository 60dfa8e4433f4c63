using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace CloudGateway.Loader;

/// <summary>
/// Runs when the module is imported, before the cmdlet assembly: routes the engine assembly, which the default load
/// context cannot find, into <see cref="EngineLoadContext"/>, and stops routing when the module is removed.
/// </summary>
public sealed class EngineResolver : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    // One context per process: an assembly cannot be unloaded, so a module imported again reuses the engine it loaded.
    private static readonly Lazy<EngineLoadContext> Engine = new(() =>
        new EngineLoadContext(Path.GetDirectoryName(typeof(EngineResolver).Assembly.Location) ?? AppContext.BaseDirectory));

    /// <inheritdoc />
    public void OnImport()
    {
        // Removing first keeps one handler when the module is imported again into the same process.
        AssemblyLoadContext.Default.Resolving -= ResolveEngine;
        AssemblyLoadContext.Default.Resolving += ResolveEngine;
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveEngine;

    // Only the engine is routed; everything it needs then loads through the engine's own context. Outside the
    // packaged layout (no Dependencies folder) the default resolution is left alone.
    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == EngineLoadContext.EngineAssemblyName && Engine.Value.Holds(name) ? Engine.Value.LoadFromAssemblyName(name) : null;
}
