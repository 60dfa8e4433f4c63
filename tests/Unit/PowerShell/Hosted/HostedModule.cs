using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace CloudGateway.Tests.PowerShell.Hosted;

/// <summary>
/// A PowerShell runspace in the test process with the PACKAGED module imported from out/CloudGateway/&lt;version&gt;/
/// (manifest, loader, formats and cmdlets as a user gets them), for tests that read a cmdlet's progress, verbose and
/// warning streams. In this process the default load context already holds the engine the tests reference, so the
/// cmdlets bind to that copy instead of loading the packaged one into their own context; the import therefore checks
/// that both copies are the same build (same module version id), so what runs here is exactly what was packaged.
/// The load-context route itself is covered by <see cref="ModulePackageTests"/> and by Pester in a real pwsh.
/// </summary>
internal sealed class HostedModule : IDisposable
{
    private readonly Runspace _runspace;

    private HostedModule(Runspace runspace) => _runspace = runspace;

    public static string Manifest => Path.Combine(BuildLocations.ModuleFolder, "CloudGateway.psd1");

    /// <summary>Opens a runspace and imports the packaged module; fails when out/ is missing or holds another build.</summary>
    public static HostedModule Import()
    {
        Assert.True(File.Exists(Manifest), $"No packaged module at {Manifest}: run 'bash build.sh' first.");
        var packagedEngine = Path.Combine(BuildLocations.ModuleFolder, "Dependencies", "CloudGateway.Engine.dll");
        Assert.True(ModuleVersionId(packagedEngine) == typeof(GatewayException).Assembly.ManifestModule.ModuleVersionId,
            $"The packaged engine ({packagedEngine}) is another build than the one these tests run: run 'bash build.sh' again.");

        var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        var module = new HostedModule(runspace);
        try
        {
            var imported = module.Run("Import-Module -Name $args[0] -PassThru -ErrorAction Stop", Manifest);
            var cmdlets = ((PSModuleInfo)imported.Output.Single().BaseObject).ImplementingAssembly;
            Assert.Equal(Path.Combine(BuildLocations.ModuleFolder, "CloudGateway.PowerShell.dll"), cmdlets.Location);
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="script"/> (its arguments in <c>$args</c>) and returns its output and streams; a terminating error fails the test.</summary>
    public HostedRun Run(string script, params object[] arguments)
    {
        using var shell = System.Management.Automation.PowerShell.Create(_runspace);
        shell.AddScript(script);
        foreach (var argument in arguments)
        {
            shell.AddArgument(argument);
        }

        var output = shell.Invoke();
        return new HostedRun(output, [.. shell.Streams.Progress], [.. shell.Streams.Verbose.Select(v => v.Message)],
            [.. shell.Streams.Warning.Select(w => w.Message)], [.. shell.Streams.Error]);
    }

    /// <summary>Stops any relay the module still runs and removes the module, which closes every store it opened.</summary>
    public void Dispose()
    {
        try
        {
            Run("if (Get-CloudGatewayRelay) { Stop-CloudGatewayRelay -DrainTimeout 0 -Confirm:$false }; Remove-Module CloudGateway");
        }
        finally
        {
            _runspace.Dispose();
        }
    }

    private static Guid ModuleVersionId(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var metadata = pe.GetMetadataReader();
        return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
    }
}

/// <summary>What one hosted script wrote, stream by stream.</summary>
internal sealed record HostedRun(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ProgressRecord> Progress,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<ErrorRecord> Errors)
{
    /// <summary>Fails with the errors written, if any.</summary>
    public HostedRun WithoutErrors()
    {
        Assert.True(Errors.Count == 0, "The script wrote errors: " + string.Join(" | ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        return this;
    }
}
