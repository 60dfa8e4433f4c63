using System.Management.Automation;
using CloudGateway.Networking;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Reads this machine's interfaces and routes and writes each network with its default gateway; pipe the
/// result into Set-DefaultGateway -Tenant to record them.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ProductionNetwork")]
[OutputType(typeof(ProductionNetwork))]
public sealed class GetProductionNetworkCommand : CloudGatewayCmdlet
{
    /// <summary>Interface names or wildcard patterns; every interface with a global address when omitted.</summary>
    [Parameter(Position = 0)]
    public string[]? InterfaceName { get; set; }

    /// <summary>Names the networks found after a hardware plan's network instead of the interface (use with one interface).</summary>
    [Parameter]
    public string? Network { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var patterns = (InterfaceName ?? []).Select(name => new WildcardPattern(name, WildcardOptions.IgnoreCase)).ToList();
        Try(null, () =>
        {
            var networks = ProductionNetworkDetector.Detect()
                .Where(n => patterns.Count == 0 || patterns.Any(p => p.IsMatch(n.InterfaceName)))
                .Select(n => Network is null ? n : n with { Network = Network });
            WriteObject(networks, enumerateCollection: true);
        });
    }
}
