using System.Management.Automation;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Switches this PowerShell session to another configuration database, creating the file on first use. Other
/// sessions, and the CLOUDGATEWAY_DATABASE default, are not affected.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "CloudGatewayDatabase", SupportsShouldProcess = true)]
[OutputType(typeof(DatabaseInfo))]
public sealed class ConnectCloudGatewayDatabaseCommand : CloudGatewayCmdlet
{
    /// <summary>The database file to use from now on.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = string.Empty;

    /// <summary>Writes the database now in use.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (ShouldProcess(path, "Use configuration database (created when missing)"))
        {
            Try(path, () =>
            {
                Session.Use(ConfigurationDatabase.Open(path), path);
                if (PassThru)
                {
                    WriteObject(DatabaseInfo.Describe(Store));
                }
            });
        }
    }
}
