using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Removes gateway pools; their gateways become standalone.</summary>
[Cmdlet(VerbsCommon.Remove, "CloudGatewayPool", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(void))]
public sealed class RemoveCloudGatewayPoolCommand : CloudGatewayCmdlet
{
    /// <summary>The pools to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(PoolNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The pools to remove, as written by Get-CloudGatewayPool.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.ByInputObject)]
    public GatewayPool[] InputObject { get; set; } = [];

    /// <summary>Removes a pool even though tenants are still assigned to it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ParameterSets.ByInputObject ? InputObject.Select(pool => pool.Name) : Name;
        foreach (var name in names)
        {
            if (ShouldProcess(name, "Remove gateway pool"))
            {
                Try(name, () => Store.RemovePool(name, Force));
            }
        }
    }
}
