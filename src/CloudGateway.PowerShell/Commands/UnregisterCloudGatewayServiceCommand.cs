using System.Management.Automation;
using CloudGateway.Hosting;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Stops and removes the CloudGateway service: its systemd unit on Linux, its Windows service on Windows.</summary>
[Cmdlet(VerbsLifecycle.Unregister, "CloudGatewayService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class UnregisterCloudGatewayServiceCommand : CloudGatewayCmdlet
{
    /// <summary>The service (and unit) name.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = ServiceDefinition.DefaultName;

    /// <summary>The systemd unit to remove (Linux only); by default /etc/systemd/system/&lt;Name&gt;.service.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? UnitPath { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var unitPath = UnitPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(UnitPath);
        if (ShouldProcess(unitPath ?? ServiceInstaller.DefaultLocation(Name), "Stop and remove the CloudGateway service"))
        {
            Try(Name, () => new ServiceInstaller().Unregister(Name, unitPath));
        }
    }
}
