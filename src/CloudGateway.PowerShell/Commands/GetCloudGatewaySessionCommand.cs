using System.Management.Automation;
using CloudGateway.Relay;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Gets the live sessions of the relay this PowerShell process runs: tenant, resource, gateway, remote endpoint,
/// start, bytes and current rate each way.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CloudGatewaySession")]
[OutputType(typeof(RelaySessionInfo))]
public sealed class GetCloudGatewaySessionCommand : CloudGatewayCmdlet
{
    /// <summary>Only sessions of these tenants (wildcards allowed).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string[]? Tenant { get; set; }

    /// <summary>Only sessions through these gateways (wildcards allowed).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Gateway { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ModuleRelay.Current is not { } runner)
        {
            return;
        }

        var tenants = Patterns(Tenant);
        var gateways = Patterns(Gateway);
        foreach (var session in runner.GetSessions())
        {
            if (Matches(tenants, session.Tenant) && Matches(gateways, session.Gateway))
            {
                WriteObject(session);
            }
        }
    }

    private static List<WildcardPattern>? Patterns(string[]? names) =>
        names?.Select(name => new WildcardPattern(name, WildcardOptions.IgnoreCase)).ToList();

    private static bool Matches(List<WildcardPattern>? patterns, string value) =>
        patterns is null || patterns.Any(pattern => pattern.IsMatch(value));
}
