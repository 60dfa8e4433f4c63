using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Writes the tenants whose names match, or every tenant. Password hashes are never part of the output.</summary>
[Cmdlet(VerbsCommon.Get, "CloudTenant")]
[OutputType(typeof(Tenant))]
public sealed class GetCloudTenantCommand : CloudGatewayCmdlet
{
    /// <summary>Names or wildcard patterns; every tenant when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() =>
        WriteByName(Name, Store.GetTenants, Store.GetTenant, tenant => tenant.Name);
}
