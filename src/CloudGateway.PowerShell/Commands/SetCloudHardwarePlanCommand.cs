using System.Management.Automation;
using CloudGateway.Networking;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Changes hardware plans. Giving -Network or -IsolatedNetwork replaces the plan's whole network list; networks
/// that keep their name keep their VLAN id.
/// </summary>
[Cmdlet(VerbsCommon.Set, "CloudHardwarePlan", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(HardwarePlan))]
public sealed class SetCloudHardwarePlanCommand : CloudGatewayCmdlet
{
    /// <summary>The plans to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(HardwarePlanNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The plans to change, as written by Get-CloudHardwarePlan.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.ByInputObject)]
    public HardwarePlan[] InputObject { get; set; } = [];

    /// <summary>A new unique name.</summary>
    [Parameter]
    public string? NewName { get; set; }

    /// <summary>The networks with internet access, each <c>name</c> or <c>name:vlan</c>.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Network { get; set; }

    /// <summary>The networks without internet access, each <c>name</c> or <c>name:vlan</c>.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? IsolatedNetwork { get; set; }

    /// <summary>Free text for administrators.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>Writes each changed plan.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ParameterSets.ByInputObject ? InputObject.Select(plan => plan.Name) : Name;
        foreach (var name in names)
        {
            if (ShouldProcess(name, "Set hardware plan"))
            {
                Try(name, () =>
                {
                    var plan = new NetworkExtensionService(NetworkExtensionStore).SetHardwarePlan(name, NewName, Description, Network, IsolatedNetwork);
                    if (PassThru)
                    {
                        WriteObject(plan);
                    }
                });
            }
        }
    }
}
