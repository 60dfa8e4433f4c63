using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Writes tenants' resources: those of one tenant, those whose names match, or all of them.</summary>
[Cmdlet(VerbsCommon.Get, "CloudTenantResource")]
[OutputType(typeof(TenantResource))]
public sealed class GetCloudTenantResourceCommand : CloudGatewayCmdlet
{
    /// <summary>The tenant whose resources to write; every tenant's when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string? Tenant { get; set; }

    /// <summary>Resource names or wildcard patterns; every resource when omitted.</summary>
    [Parameter(Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var tenant = string.IsNullOrEmpty(Tenant) ? null : Tenant;
        if (tenant is null)
        {
            var patterns = (Name ?? ["*"]).Select(name => new WildcardPattern(name, WildcardOptions.IgnoreCase)).ToList();
            Try(null, () => WriteObject(Store.GetResources().Where(resource => patterns.Any(pattern => pattern.IsMatch(resource.Name))), enumerateCollection: true));
            return;
        }

        WriteByName(Name, () => Store.GetResources(tenant), name => Store.GetResource(tenant, name), resource => resource.Name);
    }
}
