using System.Management.Automation;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Removes the recorded default gateway of a tenant's network.</summary>
[Cmdlet(VerbsCommon.Remove, "DefaultGateway", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveDefaultGatewayCommand : CloudGatewayCmdlet
{
    /// <summary>The tenant whose network this is.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string Tenant { get; set; } = string.Empty;

    /// <summary>The networks whose gateways are removed.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PlanNetworkNameCompleter))]
    public string[] Network { get; set; } = [];

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var network in Network)
        {
            var target = $"{Tenant}/{network}";
            if (ShouldProcess(target, "Remove default gateway"))
            {
                Try(target, () => NetworkExtensionStore.RemoveDefaultGateway(Tenant, network));
            }
        }
    }
}
