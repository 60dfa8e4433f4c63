using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Stops tenants from connecting; their configuration and resources are kept.</summary>
[Cmdlet(VerbsLifecycle.Disable, "CloudTenant", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(Tenant))]
public sealed class DisableCloudTenantCommand : CloudGatewayCmdlet
{
    /// <summary>The tenants to disable.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The tenants to disable, as written by Get-CloudTenant.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.ByInputObject)]
    public Tenant[] InputObject { get; set; } = [];

    /// <summary>Writes each changed tenant.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ParameterSets.ByInputObject ? InputObject.Select(tenant => tenant.Name) : Name;
        ChangeEach(names, "Disable tenant", name => Store.UpdateTenant(name, current => current with { Enabled = false }), PassThru,
            tenant => ConfigurationReview.AfterTenantChange(Store, tenant, "disabled"));
    }
}
