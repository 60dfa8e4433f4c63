using System.Management.Automation;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Makes a JSON file written by Export-CloudGatewayConfiguration the configuration: it replaces everything, or
/// with -Merge adds and updates by name. The file is checked completely first; a failed import changes nothing.
/// Progress shows the entities written of the total; -Verbose lists the rows added, updated and removed.
/// </summary>
[Cmdlet(VerbsData.Import, "CloudGatewayConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DatabaseInfo))]
public sealed class ImportCloudGatewayConfigurationCommand : CloudGatewayCmdlet
{
    /// <summary>The JSON file to read.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = string.Empty;

    /// <summary>Adds and updates gateways, pools, tenants and resources by name, keeping the rest.</summary>
    [Parameter]
    public SwitchParameter Merge { get; set; }

    /// <summary>Writes the database after the import.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        var action = Merge ? "Merge configuration into " + Session.DatabasePath : "Replace the whole configuration of " + Session.DatabasePath;
        if (ShouldProcess(path, action))
        {
            Try(path, () =>
            {
                var imported = RunWithProgress("Importing the configuration", progress => ConfigurationTransfer.Import(Store, path, Merge, progress));
                WriteNotes(imported.Notes);
                if (PassThru)
                {
                    WriteObject(DatabaseInfo.Describe(Store));
                }
            });
        }
    }
}
