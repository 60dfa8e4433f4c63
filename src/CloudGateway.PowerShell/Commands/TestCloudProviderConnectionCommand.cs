using System.Management.Automation;
using CloudGateway.Client;
using CloudGateway.Client.Providers;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Tests each gateway of providers step by step (TCP, TLS version, certificate thumbprint and expiry,
/// authentication, latency); with -Quiet, returns whether at least one gateway passes every step.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "CloudProviderConnection", DefaultParameterSetName = ByName)]
[OutputType(typeof(GatewayProbeResult))]
[OutputType(typeof(bool))]
public sealed class TestCloudProviderConnectionCommand : CloudGatewayCmdlet
{
    private const string ByName = "ByName";
    private const string ByInputObject = "ByInputObject";

    /// <summary>The providers to test.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The providers to test, as Get-CloudProvider returns them.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByInputObject, ValueFromPipeline = true)]
    [ValidateNotNull]
    public CloudProvider[] InputObject { get; set; } = [];

    /// <summary>Returns $true when at least one gateway of the provider passes every step, else $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ByInputObject ? InputObject.Select(p => p.Name) : Name;
        foreach (var name in names)
        {
            Try(name, () =>
            {
                var providers = TenantSession.Current.Providers;
                var results = WaitWithProgress($"Testing cloud provider '{name}'", (progress, cancellationToken) => providers.TestAsync(name, progress, cancellationToken));
                if (Quiet)
                {
                    WriteObject(results.Any(r => r.Passed));
                }
                else
                {
                    WriteObject(results, enumerateCollection: true);
                }
            });
        }
    }
}
