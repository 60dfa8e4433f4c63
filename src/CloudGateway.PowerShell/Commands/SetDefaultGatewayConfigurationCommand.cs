using System.Management.Automation;
using CloudGateway.Networking;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Changes tenants' network extension settings: routing between their networks, and their hardware plan.</summary>
[Cmdlet(VerbsCommon.Set, "DefaultGatewayConfiguration", SupportsShouldProcess = true)]
[OutputType(typeof(DefaultGatewayConfiguration))]
public sealed class SetDefaultGatewayConfigurationCommand : CloudGatewayCmdlet
{
    /// <summary>The tenants to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string[] Tenant { get; set; } = [];

    /// <summary>Whether the appliance forwards traffic between the tenant's networks; -RouteBetweenNetworks:$false turns it off.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter RouteBetweenNetworks { get; set; }

    /// <summary>The hardware plan the tenant subscribes to; an empty string for none.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(HardwarePlanNameCompleter))]
    public string? HardwarePlan { get; set; }

    /// <summary>Writes each changed configuration.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        bool? route = IsBound(nameof(RouteBetweenNetworks)) ? RouteBetweenNetworks.IsPresent : null;
        foreach (var tenant in Tenant)
        {
            if (ShouldProcess(tenant, "Set default gateway configuration"))
            {
                Try(tenant, () =>
                {
                    var configuration = new NetworkExtensionService(NetworkExtensionStore)
                        .SetConfiguration(tenant, route, IsBound(nameof(HardwarePlan)), HardwarePlan);
                    if (PassThru)
                    {
                        WriteObject(configuration);
                    }
                });
            }
        }
    }
}
