using System.Management.Automation;
using CloudGateway.Hosting;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Registers CloudGateway.Service with the operating system so that the relay runs at boot: a systemd unit on
/// Linux, a Windows service on Windows. The service uses this session's database unless another is given.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "CloudGatewayService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ServiceRegistration))]
public sealed class RegisterCloudGatewayServiceCommand : CloudGatewayCmdlet
{
    /// <summary>The service (and unit) name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = ServiceDefinition.DefaultName;

    /// <summary>The configuration database the service opens; by default the one this session uses.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DatabasePath { get; set; }

    /// <summary>The service's launcher or assembly; by default the one shipped in the module's service folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ServicePath { get; set; }

    /// <summary>The gateways the service serves; by default every enabled gateway of the machine.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Gateway { get; set; } = [];

    /// <summary>The service's handshake timeout (a number means seconds).</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan? HandshakeTimeout { get; set; }

    /// <summary>The service's idle timeout (a number means seconds).</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary>The service's drain timeout on stop (a number means seconds).</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan? DrainTimeout { get; set; }

    /// <summary>The account the service runs as; by default root (Linux) or LocalSystem (Windows).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    /// <summary>Where the systemd unit is written (Linux only); by default /etc/systemd/system/&lt;Name&gt;.service.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? UnitPath { get; set; }

    /// <summary>Replaces an existing registration of the same name.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Only registers the service; does not enable or start it.</summary>
    [Parameter]
    public SwitchParameter NoStart { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var unitPath = UnitPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(UnitPath);
        Try(Name, () =>
        {
            var definition = new ServiceDefinition
            {
                Name = Name,
                Command = ServicePath is null
                    ? ServiceCommand.Locate(MyInvocation.MyCommand.Module?.ModuleBase ?? AssemblyFolder())
                    : ServiceCommand.For(SessionState.Path.GetUnresolvedProviderPathFromPSPath(ServicePath)),
                DatabasePath = DatabasePath is null ? Session.DatabasePath : SessionState.Path.GetUnresolvedProviderPathFromPSPath(DatabasePath),
                Gateways = Gateway,
                HandshakeTimeout = HandshakeTimeout,
                IdleTimeout = IdleTimeout,
                DrainTimeout = DrainTimeout,
                User = User,
            };
            if (ShouldProcess(unitPath ?? ServiceInstaller.DefaultLocation(Name), "Register the CloudGateway service"))
            {
                WriteObject(new ServiceInstaller().Register(definition, unitPath, Force, NoStart));
            }
        });
    }

    private static string AssemblyFolder() => System.IO.Path.GetDirectoryName(typeof(RegisterCloudGatewayServiceCommand).Assembly.Location) ?? ".";
}
