namespace CloudGateway.Hosting;

/// <summary>The program that runs CloudGateway.Service, with the arguments that come before the service's own.</summary>
public sealed record ServiceCommand(string Program, IReadOnlyList<string> Arguments)
{
    /// <summary>The file name of the service's native launcher on this platform.</summary>
    public static string LauncherName => OperatingSystem.IsWindows() ? "CloudGateway.Service.exe" : "CloudGateway.Service";

    /// <summary>The file name of the service's framework-dependent assembly.</summary>
    public const string AssemblyName = "CloudGateway.Service.dll";

    /// <summary>
    /// The command for <paramref name="servicePath"/>: the launcher itself, or <c>dotnet</c> (found on PATH)
    /// running the assembly when the path names a .dll.
    /// </summary>
    public static ServiceCommand For(string servicePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(servicePath);
        var fullPath = Path.GetFullPath(servicePath);
        if (!File.Exists(fullPath))
        {
            throw new GatewayException(GatewayErrorCode.NotFound, $"The service binary '{fullPath}' does not exist.", fullPath);
        }

        if (!fullPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return new ServiceCommand(fullPath, []);
        }

        var dotnet = ExecutableSearch.Find(OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet")
            ?? throw new GatewayException(GatewayErrorCode.NotFound, "'dotnet' is not on PATH, so the service assembly cannot be run; give the path of the service's launcher instead.", fullPath);
        return new ServiceCommand(dotnet, [fullPath]);
    }

    /// <summary>
    /// The service shipped with the module: <c>service/</c> under <paramref name="moduleDirectory"/>, its launcher
    /// when present, else its assembly.
    /// </summary>
    public static ServiceCommand Locate(string moduleDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(moduleDirectory);
        var folder = Path.Combine(moduleDirectory, "service");
        var launcher = Path.Combine(folder, LauncherName);
        if (File.Exists(launcher))
        {
            return For(launcher);
        }

        var assembly = Path.Combine(folder, AssemblyName);
        if (File.Exists(assembly))
        {
            return For(assembly);
        }

        throw new GatewayException(GatewayErrorCode.NotFound, $"The CloudGateway service is not installed in '{folder}'; give its path with -ServicePath.", folder);
    }
}
