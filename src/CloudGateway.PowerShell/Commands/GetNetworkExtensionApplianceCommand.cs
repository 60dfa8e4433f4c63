using System.Management.Automation;
using CloudGateway.Networking.Appliance;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Writes the network extension appliances started on this machine, each checked against the live system.</summary>
[Cmdlet(VerbsCommon.Get, "NetworkExtensionAppliance")]
[OutputType(typeof(ApplianceState))]
public sealed class GetNetworkExtensionApplianceCommand : CloudGatewayCmdlet
{
    /// <summary>Only the appliance of this network namespace (NotFound when it runs none); every appliance when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public string? Namespace { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() =>
        Try(Namespace, () => WriteObject(new NetworkExtensionAppliance().Get(Namespace, onlyThis: Namespace is not null), enumerateCollection: true));
}
