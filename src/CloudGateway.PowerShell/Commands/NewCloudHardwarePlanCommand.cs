using System.Management.Automation;
using CloudGateway.Networking;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Adds a hardware plan: networks with internet access (-Network) and without (-IsolatedNetwork), VLAN ids assigned unless given as name:vlan.</summary>
[Cmdlet(VerbsCommon.New, "CloudHardwarePlan", SupportsShouldProcess = true)]
[OutputType(typeof(HardwarePlan))]
public sealed class NewCloudHardwarePlanCommand : CloudGatewayCmdlet
{
    /// <summary>The plan's unique name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Networks whose replicas get internet access, each <c>name</c> or <c>name:vlan</c>.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    public string[]? Network { get; set; }

    /// <summary>Networks without internet access, each <c>name</c> or <c>name:vlan</c>.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? IsolatedNetwork { get; set; }

    /// <summary>Free text for administrators.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Description { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ShouldProcess(Name, "Add hardware plan"))
        {
            Try(Name, () => WriteObject(new NetworkExtensionService(NetworkExtensionStore).NewHardwarePlan(Name, Description, Network, IsolatedNetwork)));
        }
    }
}
