using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Lets a tenant reach an endpoint inside the SP's network through a gateway, under a name the tenant sees.</summary>
[Cmdlet(VerbsCommon.Add, "CloudTenantResource", SupportsShouldProcess = true)]
[OutputType(typeof(TenantResource))]
public sealed class AddCloudTenantResourceCommand : CloudGatewayCmdlet
{
    /// <summary>The tenant that may reach the resource.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string Tenant { get; set; } = string.Empty;

    /// <summary>The resource's name, unique per tenant; what the tenant asks for.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The DNS name or IP address of the endpoint inside the SP's network.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    public string TargetHost { get; set; } = string.Empty;

    /// <summary>The endpoint's TCP port.</summary>
    [Parameter(Mandatory = true, Position = 3, ValueFromPipelineByPropertyName = true)]
    public int TargetPort { get; set; }

    /// <summary>Free text for administrators.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string Description { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var resource = new TenantResource { Tenant = Tenant, Name = Name, TargetHost = TargetHost, TargetPort = TargetPort, Description = Description };
        var target = Tenant + "/" + Name;
        if (ShouldProcess(target, "Add tenant resource"))
        {
            Try(target, () => WriteObject(Store.AddResource(resource)));
        }
    }
}
