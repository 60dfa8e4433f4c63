using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Writes the gateway pools whose names match, or every pool.</summary>
[Cmdlet(VerbsCommon.Get, "CloudGatewayPool")]
[OutputType(typeof(GatewayPool))]
public sealed class GetCloudGatewayPoolCommand : CloudGatewayCmdlet
{
    /// <summary>Names or wildcard patterns; every pool when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PoolNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() =>
        WriteByName(Name, Store.GetPools, Store.GetPool, pool => pool.Name);
}
