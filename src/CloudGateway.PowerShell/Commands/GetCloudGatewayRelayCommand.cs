using System.Management.Automation;
using CloudGateway.Hosting;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Gets the status of the relay this PowerShell process runs: its state, the endpoints it really bound, its
/// sessions and the bytes carried per gateway. Writes nothing when no relay is running.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CloudGatewayRelay")]
[OutputType(typeof(RelayStatus))]
public sealed class GetCloudGatewayRelayCommand : CloudGatewayCmdlet
{
    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ModuleRelay.Current is { } runner)
        {
            WriteObject(runner.GetStatus());
        }
    }
}
