using System.Reflection;

namespace CloudGateway.Tests.PowerShell;

/// <summary>Paths the build wrote into this test assembly: the repository, the built cmdlet assembly, PowerShell's reference assembly.</summary>
internal static class BuildLocations
{
    public static string RepositoryRoot => Metadata("RepositoryRoot");

    public static string PowerShellAssembly => Metadata("PowerShellAssembly");

    public static string PowerShellReference => Metadata("PowerShellReference");

    public static string ModuleVersion => Metadata("ModuleVersion");

    public static string ModuleFolder => Path.Combine(RepositoryRoot, "out", "CloudGateway", ModuleVersion);

    private static string Metadata(string key) =>
        typeof(BuildLocations).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The build did not record {key}.");
}
