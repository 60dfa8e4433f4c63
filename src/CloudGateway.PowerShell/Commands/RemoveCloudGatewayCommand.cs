using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Removes gateways, taking each out of its pool.</summary>
[Cmdlet(VerbsCommon.Remove, "CloudGateway", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(void))]
public sealed class RemoveCloudGatewayCommand : CloudGatewayCmdlet
{
    /// <summary>The gateways to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(GatewayNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The gateways to remove, as written by Get-CloudGateway.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.ByInputObject)]
    public Gateway[] InputObject { get; set; } = [];

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ParameterSets.ByInputObject ? InputObject.Select(gateway => gateway.Name) : Name;
        foreach (var name in names)
        {
            if (ShouldProcess(name, "Remove gateway"))
            {
                Try(name, () => Store.RemoveGateway(name));
            }
        }
    }
}
