using System.Management.Automation;
using CloudGateway.Networking.Appliance;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Applies a tenant's hardware plan, default gateways and routing option on this Linux host, or in a network
/// namespace, as its network extension appliance; run again after a change to bring it up to date.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "NetworkExtensionAppliance", SupportsShouldProcess = true)]
[OutputType(typeof(ApplianceState))]
public sealed class StartNetworkExtensionApplianceCommand : CloudGatewayCmdlet
{
    /// <summary>The tenant whose networks the appliance carries.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string Tenant { get; set; } = string.Empty;

    /// <summary>The network namespace that acts as the appliance; this host when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Namespace { get; set; }

    /// <summary>The existing interface towards external networks; replicas with internet access leave through it with source NAT.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public string ExternalInterface { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var where = Namespace is null ? "this host" : $"network namespace '{Namespace}'";
        if (ShouldProcess(where, $"Start the network extension appliance of tenant '{Tenant}'"))
        {
            Try(Tenant, () => WriteObject(RunWithProgress($"Starting the network extension appliance of tenant '{Tenant}'",
                progress => new NetworkExtensionAppliance().Start(NetworkExtensionStore, Tenant, Namespace, ExternalInterface, progress))));
        }
    }
}
