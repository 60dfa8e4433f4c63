using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Lets tenants connect again.</summary>
[Cmdlet(VerbsLifecycle.Enable, "CloudTenant", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(Tenant))]
public sealed class EnableCloudTenantCommand : CloudGatewayCmdlet
{
    /// <summary>The tenants to enable.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The tenants to enable, as written by Get-CloudTenant.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.ByInputObject)]
    public Tenant[] InputObject { get; set; } = [];

    /// <summary>Writes each changed tenant.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ParameterSets.ByInputObject ? InputObject.Select(tenant => tenant.Name) : Name;
        ChangeEach(names, "Enable tenant", name => Store.UpdateTenant(name, current => current with { Enabled = true }), PassThru,
            tenant => ConfigurationReview.AfterTenantChange(Store, tenant, "enabled"));
    }
}
