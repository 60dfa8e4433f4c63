using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace CloudGateway.Loader;

/// <summary>
/// The load context the engine and its dependencies live in, apart from whatever versions other modules bring:
/// managed assemblies come from the module's <c>Dependencies</c> folder, SQLite's native library from
/// <c>runtimes/&lt;rid&gt;/native</c> under it, and everything else (the framework) from the default context.
/// </summary>
public sealed class EngineLoadContext : AssemblyLoadContext
{
    /// <summary>The folder, inside the module folder, that holds the engine and its dependencies.</summary>
    public const string DependenciesFolder = "Dependencies";

    /// <summary>The engine's assembly name, the one name the module resolves into this context.</summary>
    public const string EngineAssemblyName = "CloudGateway.Engine";

    private readonly string _dependencies;

    /// <summary>Creates the context for the module installed in <paramref name="moduleFolder"/>.</summary>
    public EngineLoadContext(string moduleFolder)
        : base(EngineAssemblyName, isCollectible: false)
    {
        ArgumentException.ThrowIfNullOrEmpty(moduleFolder);
        _dependencies = Path.Combine(Path.GetFullPath(moduleFolder), DependenciesFolder);
    }

    /// <summary>The folder native libraries load from: <c>Dependencies/runtimes/&lt;rid&gt;/native</c>.</summary>
    public string NativeFolder => Path.Combine(_dependencies, "runtimes", PlatformRuntimeIdentifier(), "native");

    /// <summary>The portable runtime identifier of this process (<c>linux-x64</c>, <c>win-x64</c>, <c>osx-arm64</c>, ...).</summary>
    public static string PlatformRuntimeIdentifier()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        return os + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
    }

    /// <summary>The file name this platform gives the native library <paramref name="name"/> (<c>e_sqlite3.dll</c>, <c>libe_sqlite3.so</c>, ...).</summary>
    public static string NativeFileName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (OperatingSystem.IsWindows())
        {
            return name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? name : name + ".dll";
        }

        var bare = name.StartsWith("lib", StringComparison.Ordinal) ? name : "lib" + name;
        return OperatingSystem.IsMacOS() ? bare + ".dylib" : bare + ".so";
    }

    /// <summary>Whether the module's Dependencies folder holds the assembly <paramref name="assemblyName"/>.</summary>
    public bool Holds(AssemblyName assemblyName)
    {
        ArgumentNullException.ThrowIfNull(assemblyName);
        return File.Exists(AssemblyPath(assemblyName));
    }

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName) =>
        Holds(assemblyName) ? LoadFromAssemblyPath(AssemblyPath(assemblyName)) : null;

    private string AssemblyPath(AssemblyName assemblyName) => Path.Combine(_dependencies, assemblyName.Name + ".dll");

    /// <inheritdoc />
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = Path.Combine(NativeFolder, NativeFileName(unmanagedDllName));
        return File.Exists(path) ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}
