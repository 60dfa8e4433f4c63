using System.Management.Automation;
using CloudGateway.Tunnels;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Stops tunnels: no new local connections, and the ones being carried are closed.</summary>
[Cmdlet(VerbsLifecycle.Stop, "CloudTunnel", SupportsShouldProcess = true, DefaultParameterSetName = ById)]
[OutputType(typeof(void))]
public sealed class StopCloudTunnelCommand : CloudGatewayCmdlet
{
    private const string ById = "ById";
    private const string ByInputObject = "ByInputObject";

    /// <summary>Ids of the tunnels to stop.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
    public int[] Id { get; set; } = [];

    /// <summary>The tunnels to stop, as Start-CloudTunnel or Get-CloudTunnel return them.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByInputObject, ValueFromPipeline = true)]
    [ValidateNotNull]
    public CloudTunnel[] InputObject { get; set; } = [];

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var ids = ParameterSetName == ByInputObject ? InputObject.Select(t => t.Id) : Id;
        foreach (var id in ids)
        {
            if (ShouldProcess($"tunnel {id}", "Stop cloud tunnel"))
            {
                Try(id, () => TenantSession.Current.Tunnels.StopAsync(id).GetAwaiter().GetResult());
            }
        }
    }
}
