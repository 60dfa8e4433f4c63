using System.Management.Automation;
using CloudGateway.Tunnels;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Gets the tunnels running in this session: local endpoint, connections, bytes and the gateway in use.</summary>
[Cmdlet(VerbsCommon.Get, "CloudTunnel")]
[OutputType(typeof(CloudTunnel))]
public sealed class GetCloudTunnelCommand : CloudGatewayCmdlet
{
    /// <summary>Ids of the tunnels to get; all when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public int[]? Id { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var tunnels = TenantSession.Current.Tunnels;
        if (Id is null)
        {
            WriteObject(tunnels.Tunnels, enumerateCollection: true);
            return;
        }

        foreach (var id in Id)
        {
            Try(id, () => WriteObject(tunnels.Get(id)));
        }
    }
}
