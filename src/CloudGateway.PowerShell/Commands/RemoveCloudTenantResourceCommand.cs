using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Removes resources from their tenant; the tenant can no longer reach them.</summary>
[Cmdlet(VerbsCommon.Remove, "CloudTenantResource", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(void))]
public sealed class RemoveCloudTenantResourceCommand : CloudGatewayCmdlet
{
    /// <summary>The tenant that owns the resources.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string Tenant { get; set; } = string.Empty;

    /// <summary>The resources to remove.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The resources to remove, as written by Get-CloudTenantResource.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.ByInputObject)]
    public TenantResource[] InputObject { get; set; } = [];

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var items = ParameterSetName == ParameterSets.ByInputObject
            ? InputObject.Select(resource => (resource.Tenant, resource.Name))
            : Name.Select(name => (Tenant, name));
        foreach (var (tenant, name) in items)
        {
            var target = tenant + "/" + name;
            if (ShouldProcess(target, "Remove tenant resource"))
            {
                Try(target, () => Store.RemoveResource(tenant, name));
            }
        }
    }
}
