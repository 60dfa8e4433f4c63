using System.Management.Automation;
using CloudGateway.Networking.Appliance;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Undoes exactly what Start-NetworkExtensionAppliance applied: its bridges, its nftables table and the sysctls it changed.</summary>
[Cmdlet(VerbsLifecycle.Stop, "NetworkExtensionAppliance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ApplianceState))]
public sealed class StopNetworkExtensionApplianceCommand : CloudGatewayCmdlet
{
    /// <summary>The network namespace of the appliance; the appliance on this host when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public string? Namespace { get; set; }

    /// <summary>Writes what was removed.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var where = string.IsNullOrEmpty(Namespace) ? null : Namespace;
        if (ShouldProcess(where is null ? "this host" : $"network namespace '{where}'", "Stop the network extension appliance"))
        {
            Try(where, () =>
            {
                var stopped = RunWithProgress("Stopping the network extension appliance", progress => new NetworkExtensionAppliance().Stop(where, progress));
                if (PassThru)
                {
                    WriteObject(stopped);
                }
            });
        }
    }
}
