using System.Management.Automation;
using CloudGateway.Networking;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Writes the hardware plans whose names match, or every plan.</summary>
[Cmdlet(VerbsCommon.Get, "CloudHardwarePlan")]
[OutputType(typeof(HardwarePlan))]
public sealed class GetCloudHardwarePlanCommand : CloudGatewayCmdlet
{
    /// <summary>Names or wildcard patterns; every plan when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(HardwarePlanNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() =>
        WriteByName(Name, NetworkExtensionStore.GetHardwarePlans, NetworkExtensionStore.GetHardwarePlan, plan => plan.Name);
}
