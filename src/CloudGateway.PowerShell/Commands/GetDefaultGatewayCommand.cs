using System.Management.Automation;
using CloudGateway.Networking;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Writes the recorded default gateways: all, or those of the given tenants and networks (wildcards allowed).</summary>
[Cmdlet(VerbsCommon.Get, "DefaultGateway")]
[OutputType(typeof(DefaultGateway))]
public sealed class GetDefaultGatewayCommand : CloudGatewayCmdlet
{
    /// <summary>Tenant names or wildcard patterns; every tenant when omitted. A plain name must exist.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string[]? Tenant { get; set; }

    /// <summary>Network names or wildcard patterns; every network when omitted.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PlanNetworkNameCompleter))]
    public string[]? Network { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var networks = Patterns(Network);
        foreach (var tenant in Tenant is { Length: > 0 } ? Tenant : new string?[] { null })
        {
            Try(tenant, () =>
            {
                var plain = tenant is not null && !WildcardPattern.ContainsWildcardCharacters(tenant);
                var tenantPattern = tenant is null || plain ? null : new WildcardPattern(tenant, WildcardOptions.IgnoreCase);
                var gateways = NetworkExtensionStore.GetDefaultGateways(plain ? tenant : null)
                    .Where(g => tenantPattern?.IsMatch(g.Tenant) ?? true)
                    .Where(g => networks.Count == 0 || networks.Any(p => p.IsMatch(g.Network)));
                WriteObject(gateways, enumerateCollection: true);
            });
        }
    }

    private static List<WildcardPattern> Patterns(string[]? names) =>
        (names ?? []).Select(name => new WildcardPattern(name, WildcardOptions.IgnoreCase)).ToList();
}
