using System.Management.Automation;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Writes the whole configuration (gateways, pools, tenants, resources) to one JSON file, with tenants' passwords
/// only as hashes and ids kept. The gateways' certificate is never exported. Progress shows the entities written of the total.
/// </summary>
[Cmdlet(VerbsData.Export, "CloudGatewayConfiguration", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportCloudGatewayConfigurationCommand : CloudGatewayCmdlet
{
    /// <summary>The JSON file to write; replaced when it exists.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = string.Empty;

    /// <summary>Writes the file written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (ShouldProcess(path, "Export configuration"))
        {
            Try(path, () =>
            {
                var exported = RunWithProgress("Exporting the configuration", progress => ConfigurationTransfer.Export(Store, path, progress));
                WriteVerbose($"Wrote {exported.Gateways.Count} gateway(s), {exported.Pools.Count} pool(s), {exported.Tenants.Count} tenant(s) and {exported.Resources.Count} resource(s) to '{path}'.");
                if (PassThru)
                {
                    WriteObject(new FileInfo(path));
                }
            });
        }
    }
}
