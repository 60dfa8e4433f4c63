using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Clears tenants' failed-logon count and lockout, so they can log on again at once.</summary>
[Cmdlet(VerbsCommon.Unlock, "CloudTenant", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(Tenant))]
public sealed class UnlockCloudTenantCommand : CloudGatewayCmdlet
{
    /// <summary>The tenants to unlock.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The tenants to unlock, as written by Get-CloudTenant.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.ByInputObject)]
    public Tenant[] InputObject { get; set; } = [];

    /// <summary>Writes each changed tenant.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ParameterSets.ByInputObject ? InputObject.Select(tenant => tenant.Name) : Name;
        ChangeEach(names, "Unlock tenant", name => Store.ResetFailedLogons(name), PassThru,
            tenant => ConfigurationReview.AfterTenantChange(Store, tenant, "unlocked"));
    }
}
