using System.Management.Automation;
using CloudGateway.Client.Providers;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Refreshes providers' gateway lists now, from the first of their gateways that answers.</summary>
[Cmdlet(VerbsData.Update, "CloudProvider", SupportsShouldProcess = true, DefaultParameterSetName = ByName)]
[OutputType(typeof(CloudProvider))]
public sealed class UpdateCloudProviderCommand : CloudGatewayCmdlet
{
    private const string ByName = "ByName";
    private const string ByInputObject = "ByInputObject";

    /// <summary>The providers to refresh.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The providers to refresh, as Get-CloudProvider returns them.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByInputObject, ValueFromPipeline = true)]
    [ValidateNotNull]
    public CloudProvider[] InputObject { get; set; } = [];

    /// <summary>Writes each refreshed provider.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ByInputObject ? InputObject.Select(p => p.Name) : Name;
        foreach (var name in names)
        {
            if (!ShouldProcess(name, "Refresh the gateway list of cloud provider"))
            {
                continue;
            }

            Try(name, () =>
            {
                var providers = TenantSession.Current.Providers;
                var provider = WaitWithProgress($"Refreshing cloud provider '{name}'", (progress, cancellationToken) => providers.RefreshAsync(name, progress, cancellationToken));
                WriteVerbose($"Cloud provider '{name}' now lists {provider.Gateways.Count} gateway(s): {string.Join(", ", provider.Gateways.Select(g => g.Name))}.");
                if (PassThru)
                {
                    WriteObject(provider);
                }
            });
        }
    }
}
