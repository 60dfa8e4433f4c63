using System.Reflection;
using System.Runtime.Loader;

namespace CloudGateway.Tests.PowerShell;

/// <summary>
/// The module as packaged in out/CloudGateway/&lt;version&gt;/ by `bash build.sh` (or build.ps1 -Task Package): its
/// layout, and the engine loaded from it in its own load context the way the module host does, with no deps.json.
/// </summary>
public class ModulePackageTests
{
    private static readonly string[] Runtimes = ["linux-x64", "linux-arm64", "win-x64", "osx-x64", "osx-arm64"];

    [Fact]
    public void Package_Layout_HoldsManifestAssembliesFormatAndNativeLibraries()
    {
        var module = PackagedModuleFolder();
        var manifest = File.ReadAllText(Path.Combine(module, "CloudGateway.psd1"));
        Assert.Equal(BuildLocations.ModuleVersion, ModuleManifest.ModuleVersion(manifest));
        Assert.Equal(
            ModuleManifest.CmdletsToExport(File.ReadAllText(Path.Combine(BuildLocations.RepositoryRoot, "CloudGateway.psd1"))),
            ModuleManifest.CmdletsToExport(manifest));
        Assert.True(File.Exists(Path.Combine(module, "CloudGateway.Format.ps1xml")));
        Assert.True(File.Exists(Path.Combine(module, "Dependencies", "CloudGateway.Engine.dll")));
        Assert.True(File.Exists(Path.Combine(module, "Dependencies", "Microsoft.Data.Sqlite.dll")));
        Assert.False(File.Exists(Path.Combine(module, "CloudGateway.Engine.dll")), "The engine must not sit next to the cmdlets, or the default load context would take it.");
        // service/ is a separate application (CloudGateway.Service), which needs its own deps.json; PowerShell never loads it.
        var service = Path.Combine(module, "service");
        Assert.DoesNotContain(Directory.GetFiles(module, "*.deps.json", SearchOption.AllDirectories), file => !file.StartsWith(service + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(service, "CloudGateway.Service.dll")), "The service is missing from the module's service folder.");
        foreach (var runtime in Runtimes)
        {
            var native = Path.Combine(module, "Dependencies", "runtimes", runtime, "native");
            Assert.True(Directory.Exists(native) && Directory.GetFiles(native, "*e_sqlite3*").Length == 1, $"No SQLite native library for {runtime}.");
        }
    }

    [Fact]
    public void Package_Contents_HelpAndLicenseButNoSymbolsOrXmlDocumentation()
    {
        var module = PackagedModuleFolder();
        Assert.True(File.Exists(Path.Combine(module, "LICENSE")), "The package has no LICENSE.");
        Assert.True(File.Exists(Path.Combine(module, "en-US", "CloudGateway.PowerShell.dll-Help.xml")), "The package has no compiled help.");
        Assert.True(File.Exists(Path.Combine(module, "en-US", "about_CloudGateway.help.txt")), "The package has no about_CloudGateway.");
        var files = Directory.GetFiles(module, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(module, f)).ToList();
        Assert.DoesNotContain(files, f => f.EndsWith(".pdb", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.EndsWith(".xml", StringComparison.Ordinal) && f != Path.Combine("en-US", "CloudGateway.PowerShell.dll-Help.xml"));
        // The service carries SQLite for the module's runtimes only, as Dependencies/ does.
        var serviceRuntimes = Directory.GetDirectories(Path.Combine(module, "service", "runtimes")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(Runtimes.Append("win").Order(StringComparer.Ordinal), serviceRuntimes);
    }

    [Fact]
    public void Package_EngineInItsOwnLoadContext_OpensADatabase()
    {
        var module = PackagedModuleFolder();
        using var temp = new TempFolder();
        var host = new AssemblyLoadContext("module-host", isCollectible: true);
        try
        {
            var loader = host.LoadFromAssemblyPath(Path.Combine(module, "CloudGateway.Loader.dll"));
            var contextType = loader.GetType("CloudGateway.Loader.EngineLoadContext", throwOnError: true)!;
            var context = (AssemblyLoadContext)Activator.CreateInstance(contextType, module)!;
            var engine = context.LoadFromAssemblyName(new AssemblyName("CloudGateway.Engine"));

            Assert.Same(context, AssemblyLoadContext.GetLoadContext(engine));
            Assert.Equal(Path.Combine(module, "Dependencies", "CloudGateway.Engine.dll"), engine.Location);
            Assert.NotSame(typeof(CloudGateway.Storage.ConfigurationDatabase).Assembly, engine);

            var databasePath = temp.File("packaged.db");
            var open = engine.GetType("CloudGateway.Storage.ConfigurationDatabase", throwOnError: true)!.GetMethod("Open", [typeof(string)])!;
            using (var store = (IDisposable)open.Invoke(null, [databasePath])!)
            {
                var counter = store.GetType().GetMethod("GetChangeCounter")!.Invoke(store, null);
                Assert.Equal(0L, counter);
                var gateways = (System.Collections.ICollection)store.GetType().GetMethod("GetGateways")!.Invoke(store, null)!;
                Assert.Empty(gateways);
            }

            var sqlite = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "Microsoft.Data.Sqlite" && AssemblyLoadContext.GetLoadContext(a) == context);
            Assert.StartsWith(Path.Combine(module, "Dependencies"), sqlite.Location, StringComparison.Ordinal);
            Assert.True(new FileInfo(databasePath).Length > 0);
            if (OperatingSystem.IsLinux())
            {
                var nativeFromPackage = Path.Combine(module, "Dependencies", "runtimes", contextType.GetMethod("PlatformRuntimeIdentifier")!.Invoke(null, null) + "", "native");
                Assert.Contains(nativeFromPackage, File.ReadAllText("/proc/self/maps"), StringComparison.Ordinal);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            host.Unload();
        }
    }

    // The package must come from the assembly this test run was built with, or the test would check a stale layout.
    private static string PackagedModuleFolder()
    {
        var module = BuildLocations.ModuleFolder;
        var packaged = Path.Combine(module, "CloudGateway.PowerShell.dll");
        Assert.True(File.Exists(packaged), $"No package in {module}: run `bash build.sh` (or ./build.ps1 -Task Build, Package) first.");
        Assert.True(
            File.ReadAllBytes(packaged).AsSpan().SequenceEqual(File.ReadAllBytes(BuildLocations.PowerShellAssembly)),
            $"The package in {module} is older than the build: run `bash build.sh package`.");
        return module;
    }
}
