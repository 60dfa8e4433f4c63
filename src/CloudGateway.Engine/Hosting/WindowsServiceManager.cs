namespace CloudGateway.Hosting;

/// <summary>Creates and deletes Windows services with sc.exe.</summary>
internal sealed class WindowsServiceManager(ISystemCommands commands)
{
    private const string ServiceControl = "sc.exe";
    private const int ServiceDoesNotExist = 1060;
    private const int ServiceNotActive = 1062;

    /// <summary>Creates the service (replacing one only when forced) set to start automatically, and starts it unless told not to.</summary>
    public ServiceRegistration Register(ServiceDefinition definition, bool force, bool noStart)
    {
        var sc = Find();
        if (Exists(sc, definition.Name))
        {
            if (!force)
            {
                throw new GatewayException(GatewayErrorCode.ServiceExists, $"The Windows service '{definition.Name}' already exists; use -Force to replace it.", definition.Name);
            }

            Remove(sc, definition.Name);
        }

        var commandLine = WindowsServiceCommandLine.Build(definition);
        var create = new List<string> { "create", definition.Name, "binPath=", commandLine, "start=", "auto", "DisplayName=", definition.Description };
        if (definition.User is { } user)
        {
            create.AddRange(["obj=", user]);
        }

        Run(sc, create, definition.Name);
        Run(sc, new List<string> { "description", definition.Name, definition.Description }, definition.Name);
        if (!noStart)
        {
            Run(sc, new List<string> { "start", definition.Name }, definition.Name);
        }

        return new ServiceRegistration
        {
            Name = definition.Name,
            ServiceManager = "Windows",
            Location = definition.Name,
            CommandLine = commandLine,
            Started = !noStart,
        };
    }

    /// <summary>Stops and deletes the service; NotFound when it does not exist.</summary>
    public void Unregister(string serviceName)
    {
        var sc = Find();
        if (!Exists(sc, serviceName))
        {
            throw new GatewayException(GatewayErrorCode.NotFound, $"The Windows service '{serviceName}' does not exist.", serviceName);
        }

        Remove(sc, serviceName);
    }

    private string Find() => commands.Find(ServiceControl)
        ?? throw new GatewayException(GatewayErrorCode.SystemCommandFailed, "sc.exe was not found on PATH.", ServiceControl);

    private bool Exists(string sc, string serviceName) => commands.Run(sc, ["query", serviceName]).ExitCode != ServiceDoesNotExist;

    private void Remove(string sc, string serviceName)
    {
        var stop = commands.Run(sc, ["stop", serviceName]);
        if (stop.ExitCode is not 0 and not ServiceNotActive)
        {
            throw Failure("stop", serviceName, stop);
        }

        Run(sc, new List<string> { "delete", serviceName }, serviceName);
    }

    private void Run(string sc, List<string> arguments, string serviceName)
    {
        var result = commands.Run(sc, arguments);
        if (result.ExitCode != 0)
        {
            throw Failure(arguments[0], serviceName, result);
        }
    }

    private static GatewayException Failure(string verb, string serviceName, SystemCommandResult result) =>
        new(GatewayErrorCode.SystemCommandFailed, $"'sc.exe {verb} {serviceName}' failed with exit code {result.ExitCode}: {result.Output}", serviceName);
}
