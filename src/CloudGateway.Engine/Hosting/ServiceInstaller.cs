namespace CloudGateway.Hosting;

/// <summary>
/// Registers CloudGateway.Service with the operating system's service manager and removes it again: a systemd
/// unit on Linux, a Windows service on Windows.
/// </summary>
public sealed class ServiceInstaller
{
    private readonly ISystemCommands _commands;

    /// <summary>An installer that runs the real systemctl or sc.exe.</summary>
    public ServiceInstaller()
        : this(new ProcessSystemCommands())
    {
    }

    internal ServiceInstaller(ISystemCommands commands) => _commands = commands;

    /// <summary>Where the service of <paramref name="serviceName"/> is registered by default on this platform.</summary>
    public static string DefaultLocation(string serviceName) =>
        OperatingSystem.IsWindows() ? serviceName : SystemdUnit.DefaultPath(serviceName);

    /// <summary>
    /// Registers the service. On Linux writes the unit to <paramref name="unitPath"/> (the default path when null)
    /// and, unless <paramref name="noStart"/>, reloads systemd and enables and starts it when systemctl exists.
    /// An existing registration is replaced only with <paramref name="force"/>.
    /// </summary>
    public ServiceRegistration Register(ServiceDefinition definition, string? unitPath, bool force, bool noStart)
    {
        ArgumentNullException.ThrowIfNull(definition);
        GatewayException.ThrowIfInvalid("The service definition", definition.Name, definition.Validate());
        if (OperatingSystem.IsWindows())
        {
            return new WindowsServiceManager(_commands).Register(definition, force, noStart);
        }

        if (OperatingSystem.IsLinux())
        {
            return new SystemdServiceManager(_commands).Register(definition, unitPath ?? SystemdUnit.DefaultPath(definition.Name), force, noStart);
        }

        throw NotSupported();
    }

    /// <summary>Stops and removes the service; NotFound when it is not registered.</summary>
    public void Unregister(string serviceName, string? unitPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        if (OperatingSystem.IsWindows())
        {
            new WindowsServiceManager(_commands).Unregister(serviceName);
        }
        else if (OperatingSystem.IsLinux())
        {
            new SystemdServiceManager(_commands).Unregister(serviceName, unitPath ?? SystemdUnit.DefaultPath(serviceName));
        }
        else
        {
            throw NotSupported();
        }
    }

    private static GatewayException NotSupported() =>
        new(GatewayErrorCode.PlatformNotSupported, "CloudGateway services can be registered on Linux (systemd) and Windows only.");
}
