using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Changes the given properties of a tenant's resources; properties not given keep their values.</summary>
[Cmdlet(VerbsCommon.Set, "CloudTenantResource", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(TenantResource))]
public sealed class SetCloudTenantResourceCommand : CloudGatewayCmdlet
{
    /// <summary>The tenant that owns the resources.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string Tenant { get; set; } = string.Empty;

    /// <summary>The resources to change.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The resources to change, as written by Get-CloudTenantResource.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.ByInputObject)]
    public TenantResource[] InputObject { get; set; } = [];

    /// <summary>A new name, unique for the tenant.</summary>
    [Parameter]
    public string? NewName { get; set; }

    /// <summary>The DNS name or IP address of the endpoint inside the SP's network.</summary>
    [Parameter]
    public string? TargetHost { get; set; }

    /// <summary>The endpoint's TCP port.</summary>
    [Parameter]
    public int TargetPort { get; set; }

    /// <summary>Free text for administrators.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>Writes each changed resource.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var items = ParameterSetName == ParameterSets.ByInputObject
            ? InputObject.Select(resource => (resource.Tenant, resource.Name))
            : Name.Select(name => (Tenant, name));
        foreach (var (tenant, name) in items)
        {
            var target = tenant + "/" + name;
            if (ShouldProcess(target, "Set tenant resource"))
            {
                Try(target, () =>
                {
                    var resource = Store.UpdateResource(tenant, name, Change);
                    if (PassThru)
                    {
                        WriteObject(resource);
                    }
                });
            }
        }
    }

    private TenantResource Change(TenantResource resource) => resource with
    {
        Name = NewName ?? resource.Name,
        TargetHost = TargetHost ?? resource.TargetHost,
        TargetPort = IsBound(nameof(TargetPort)) ? TargetPort : resource.TargetPort,
        Description = Description ?? resource.Description,
    };
}
