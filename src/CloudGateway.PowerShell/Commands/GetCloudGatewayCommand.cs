using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Writes the gateways whose names match, or every gateway.</summary>
[Cmdlet(VerbsCommon.Get, "CloudGateway")]
[OutputType(typeof(Gateway))]
public sealed class GetCloudGatewayCommand : CloudGatewayCmdlet
{
    /// <summary>Names or wildcard patterns; every gateway when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(GatewayNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() =>
        WriteByName(Name, Store.GetGateways, Store.GetGateway, gateway => gateway.Name);
}
