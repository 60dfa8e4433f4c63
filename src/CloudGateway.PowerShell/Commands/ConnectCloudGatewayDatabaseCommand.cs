using System.Management.Automation;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Switches this PowerShell session to another configuration database: a SQLite file (created on first use), or a
/// PostgreSQL database shared by several gateway servers. Other sessions, and the CLOUDGATEWAY_DATABASE default, are
/// not affected. A warning names each database or key file other users may read.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "CloudGatewayDatabase", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(DatabaseInfo))]
public sealed class ConnectCloudGatewayDatabaseCommand : CloudGatewayCmdlet
{
    private const string PathSet = "Path";
    private const string PostgresSet = "ConnectionString";

    /// <summary>The database file to use from now on.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    public string Path { get; set; } = string.Empty;

    /// <summary>An Npgsql connection string naming the PostgreSQL database to use from now on; it is never shown with its password.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PostgresSet)]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>The PostgreSQL user name and password, replacing any in the connection string.</summary>
    [Parameter(ParameterSetName = PostgresSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Writes the database now in use.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == PostgresSet)
        {
            Try(nameof(ConnectionString), () =>
            {
                var shown = ConfigurationDatabase.RedactConnectionString(ConnectionString);
                if (ShouldProcess(shown, "Use PostgreSQL configuration database (tables created when missing)"))
                {
                    Session.UsePostgres(ConnectionString, Credential?.GetNetworkCredential());
                    WriteNotes(ConfigurationDatabase.ReviewFileAccess(Store));
                    WritePassThru();
                }
            });
            return;
        }

        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (ShouldProcess(path, "Use configuration database (created when missing)"))
        {
            Try(path, () =>
            {
                Session.UseFile(path);
                WriteNotes(ConfigurationDatabase.ReviewFileAccess(Store));
                WritePassThru();
            });
        }
    }

    private void WritePassThru()
    {
        if (PassThru)
        {
            WriteObject(DatabaseInfo.Describe(Store));
        }
    }
}
