using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Removes tenants together with their resources.</summary>
[Cmdlet(VerbsCommon.Remove, "CloudTenant", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(void))]
public sealed class RemoveCloudTenantCommand : CloudGatewayCmdlet
{
    /// <summary>The tenants to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The tenants to remove, as written by Get-CloudTenant.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.ByInputObject)]
    public Tenant[] InputObject { get; set; } = [];

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ParameterSets.ByInputObject ? InputObject.Select(tenant => tenant.Name) : Name;
        foreach (var name in names)
        {
            if (ShouldProcess(name, "Remove tenant and its resources"))
            {
                Try(name, () => Store.RemoveTenant(name));
            }
        }
    }
}
