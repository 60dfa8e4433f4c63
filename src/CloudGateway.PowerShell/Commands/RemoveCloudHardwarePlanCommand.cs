using System.Management.Automation;
using CloudGateway.Networking;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Removes hardware plans; a plan tenants subscribe to only with -Force, which leaves those tenants without a plan.</summary>
[Cmdlet(VerbsCommon.Remove, "CloudHardwarePlan", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(void))]
public sealed class RemoveCloudHardwarePlanCommand : CloudGatewayCmdlet
{
    /// <summary>The plans to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(HardwarePlanNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The plans to remove, as written by Get-CloudHardwarePlan.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.ByInputObject)]
    public HardwarePlan[] InputObject { get; set; } = [];

    /// <summary>Removes a plan even though tenants subscribe to it; they are left without a plan.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ParameterSets.ByInputObject ? InputObject.Select(plan => plan.Name) : Name;
        foreach (var name in names)
        {
            if (ShouldProcess(name, "Remove hardware plan"))
            {
                Try(name, () => NetworkExtensionStore.RemoveHardwarePlan(name, Force));
            }
        }
    }
}
