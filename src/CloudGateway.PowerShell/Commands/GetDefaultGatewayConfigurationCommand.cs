using System.Management.Automation;
using CloudGateway.Networking;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Writes tenants' network extension settings: their hardware plan and whether their networks route to each other.</summary>
[Cmdlet(VerbsCommon.Get, "DefaultGatewayConfiguration")]
[OutputType(typeof(DefaultGatewayConfiguration))]
public sealed class GetDefaultGatewayConfigurationCommand : CloudGatewayCmdlet
{
    /// <summary>Tenant names or wildcard patterns; every tenant when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string[]? Tenant { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() =>
        WriteByName(Tenant, NetworkExtensionStore.GetConfigurations, NetworkExtensionStore.GetConfiguration, configuration => configuration.Tenant);
}
