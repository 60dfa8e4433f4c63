using System.Runtime.Versioning;
using CloudGateway.Hosting;

namespace CloudGateway.Tests.Hosting;

// The installer takes the systemd path on Linux, where CI runs; the Windows path shares only the validation.
[SupportedOSPlatform("linux")]
public sealed class ServiceInstallerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cg-unit-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string UnitPath => Path.Combine(_folder, "cloudgateway.service");

    private ServiceDefinition Definition() => new()
    {
        Command = new ServiceCommand("/opt/cloudgateway/CloudGateway.Service", []),
        DatabasePath = Path.Combine(_folder, "config.db"),
    };

    [Fact]
    public void Register_SystemctlPresent_WritesUnitThenReloadsAndEnablesByPath()
    {
        var commands = new RecordingSystemCommands("systemctl");

        var registration = new ServiceInstaller(commands).Register(Definition(), UnitPath, force: false, noStart: false);

        Assert.Equal(SystemdUnit.Render(Definition()), File.ReadAllText(UnitPath));
        Assert.Equal(["systemctl daemon-reload", $"systemctl enable --now {UnitPath}"], commands.Commands);
        Assert.True(registration.Started);
        Assert.Equal(UnitPath, registration.Location);
        Assert.Equal("systemd", registration.ServiceManager);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(UnitPath));
    }

    [Fact]
    public void Register_NoStart_OnlyWritesTheUnit()
    {
        var commands = new RecordingSystemCommands("systemctl");

        var registration = new ServiceInstaller(commands).Register(Definition(), UnitPath, force: false, noStart: true);

        Assert.True(File.Exists(UnitPath));
        Assert.Empty(commands.Commands);
        Assert.False(registration.Started);
    }

    [Fact]
    public void Register_NoSystemctl_WritesUnitWithoutStarting()
    {
        var commands = new RecordingSystemCommands();

        var registration = new ServiceInstaller(commands).Register(Definition(), UnitPath, force: false, noStart: false);

        Assert.True(File.Exists(UnitPath));
        Assert.False(registration.Started);
    }

    [Fact]
    public void Register_UnitExists_NeedsForce()
    {
        File.WriteAllText(UnitPath, "keep me");
        var installer = new ServiceInstaller(new RecordingSystemCommands());

        var error = Assert.Throws<GatewayException>(() => installer.Register(Definition(), UnitPath, force: false, noStart: true));
        Assert.Equal(GatewayErrorCode.ServiceExists, error.Code);
        Assert.Equal("keep me", File.ReadAllText(UnitPath));

        installer.Register(Definition(), UnitPath, force: true, noStart: true);
        Assert.Contains("ExecStart=", File.ReadAllText(UnitPath));
    }

    [Fact]
    public void Register_InvalidDefinition_WritesNothing()
    {
        var definition = Definition() with { Name = "bad name" };

        var error = Assert.Throws<GatewayException>(() => new ServiceInstaller(new RecordingSystemCommands()).Register(definition, UnitPath, false, true));

        Assert.Equal(GatewayErrorCode.ValidationFailed, error.Code);
        Assert.False(File.Exists(UnitPath));
    }

    [Fact]
    public void Register_EnableFails_ReportsSystemCommandFailed()
    {
        var commands = new RecordingSystemCommands("systemctl") { ExitCode = arguments => arguments[0] == "enable" ? 1 : 0 };

        var error = Assert.Throws<GatewayException>(() => new ServiceInstaller(commands).Register(Definition(), UnitPath, false, false));

        Assert.Equal(GatewayErrorCode.SystemCommandFailed, error.Code);
        Assert.Contains("exit code 1", error.Message);
    }

    [Fact]
    public void Unregister_Registered_DisablesRemovesAndReloads()
    {
        var commands = new RecordingSystemCommands("systemctl");
        var installer = new ServiceInstaller(commands);
        installer.Register(Definition(), UnitPath, force: false, noStart: true);

        installer.Unregister("cloudgateway", UnitPath);

        Assert.False(File.Exists(UnitPath));
        Assert.Equal(["systemctl show --property=LoadState --value cloudgateway.service", "systemctl disable --now cloudgateway.service", "systemctl daemon-reload"], commands.Commands);
    }

    [Fact]
    public void Unregister_UnitUnknownToSystemd_OnlyRemovesTheFile()
    {
        var commands = new RecordingSystemCommands("systemctl") { LoadState = "not-found" };
        var installer = new ServiceInstaller(commands);
        installer.Register(Definition(), UnitPath, force: false, noStart: true);

        installer.Unregister("cloudgateway", UnitPath);

        Assert.False(File.Exists(UnitPath));
        Assert.Equal(["systemctl show --property=LoadState --value cloudgateway.service"], commands.Commands);
    }

    [Fact]
    public void Register_SystemctlWithoutSystemd_WritesUnitWithoutStarting()
    {
        var commands = new RecordingSystemCommands("systemctl") { SystemdRunning = false };

        var registration = new ServiceInstaller(commands).Register(Definition(), UnitPath, force: false, noStart: false);

        Assert.True(File.Exists(UnitPath));
        Assert.Empty(commands.Commands);
        Assert.False(registration.Started);
    }

    [Fact]
    public void Unregister_NoUnit_NotFound()
    {
        var error = Assert.Throws<GatewayException>(() => new ServiceInstaller(new RecordingSystemCommands()).Unregister("cloudgateway", UnitPath));

        Assert.Equal(GatewayErrorCode.NotFound, error.Code);
    }

    [Fact]
    public void ServiceCommandFor_Assembly_RunsThroughDotnet()
    {
        var assembly = Path.Combine(_folder, ServiceCommand.AssemblyName);
        File.WriteAllText(assembly, string.Empty);

        var command = ServiceCommand.For(assembly);

        Assert.Equal("dotnet", Path.GetFileName(command.Program));
        Assert.Equal([assembly], command.Arguments);
    }

    [Fact]
    public void ServiceCommandLocate_NothingInstalled_NotFound()
    {
        var error = Assert.Throws<GatewayException>(() => ServiceCommand.Locate(_folder));

        Assert.Equal(GatewayErrorCode.NotFound, error.Code);
    }
}
