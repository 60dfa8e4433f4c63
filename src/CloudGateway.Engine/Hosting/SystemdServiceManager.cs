using System.Runtime.Versioning;

namespace CloudGateway.Hosting;

/// <summary>Writes, enables and removes systemd units.</summary>
[SupportedOSPlatform("linux")]
internal sealed class SystemdServiceManager(ISystemCommands commands)
{
    private const string Systemctl = "systemctl";

    /// <summary>Writes the unit atomically, then, where systemd runs, reloads it and enables and starts the unit unless told not to.</summary>
    public ServiceRegistration Register(ServiceDefinition definition, string unitPath, bool force, bool noStart)
    {
        var path = Path.GetFullPath(unitPath);
        if (File.Exists(path) && !force)
        {
            throw new GatewayException(GatewayErrorCode.ServiceExists, $"The unit '{path}' already exists; use -Force to replace it.", path);
        }

        WriteAtomically(path, SystemdUnit.Render(definition));
        var systemctl = noStart ? null : FindSystemctl();
        if (systemctl is not null)
        {
            Run(systemctl, "daemon-reload");
            Run(systemctl, "enable", "--now", UnitReference(definition.Name, path));
        }

        return new ServiceRegistration
        {
            Name = definition.Name,
            ServiceManager = "systemd",
            Location = path,
            CommandLine = SystemdUnit.CommandLine(definition),
            Started = systemctl is not null,
        };
    }

    /// <summary>Disables and stops the unit when systemd knows it, removes its file and reloads systemd.</summary>
    public void Unregister(string serviceName, string unitPath)
    {
        var path = Path.GetFullPath(unitPath);
        if (!File.Exists(path))
        {
            throw new GatewayException(GatewayErrorCode.NotFound, $"The unit '{path}' does not exist.", path);
        }

        var systemctl = FindSystemctl();
        var unit = serviceName + ".service";
        var loaded = systemctl is not null && commands.Run(systemctl, ["show", "--property=LoadState", "--value", unit]).Output.Trim() == "loaded";
        if (loaded)
        {
            Run(systemctl!, "disable", "--now", unit);
        }

        Delete(path);
        if (loaded)
        {
            Run(systemctl!, "daemon-reload");
        }
    }

    // systemctl installed in a container or chroot that systemd does not manage would only fail.
    private string? FindSystemctl() => commands.IsSystemdRunning() ? commands.Find(Systemctl) : null;

    // A unit outside systemd's own folder is linked in by its path; one inside is named.
    private static string UnitReference(string serviceName, string path) =>
        Path.GetDirectoryName(path) == SystemdUnit.SystemUnitDirectory ? $"{serviceName}.service" : path;

    private void Run(string systemctl, params string[] arguments)
    {
        var result = commands.Run(systemctl, arguments);
        if (result.ExitCode != 0)
        {
            throw new GatewayException(GatewayErrorCode.SystemCommandFailed, $"'systemctl {string.Join(' ', arguments)}' failed with exit code {result.ExitCode}: {result.Output}", arguments[^1]);
        }
    }

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        try
        {
            File.WriteAllText(temporary, text);
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw FileFailure(path, "written", ex);
        }
    }

    private static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileFailure(path, "removed", ex);
        }
    }

    private static GatewayException FileFailure(string path, string what, Exception ex) => ex is UnauthorizedAccessException
        ? new GatewayException(GatewayErrorCode.InsufficientPrivilege, $"The unit '{path}' could not be {what}: {ex.Message} Run as root.", path, ex)
        : new GatewayException(GatewayErrorCode.SystemCommandFailed, $"The unit '{path}' could not be {what}: {ex.Message}", path, ex);
}
