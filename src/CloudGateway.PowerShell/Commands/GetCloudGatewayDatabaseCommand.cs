using System.Management.Automation;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Writes which configuration database this session uses, its schema version and its change counter.</summary>
[Cmdlet(VerbsCommon.Get, "CloudGatewayDatabase")]
[OutputType(typeof(DatabaseInfo))]
public sealed class GetCloudGatewayDatabaseCommand : CloudGatewayCmdlet
{
    /// <inheritdoc />
    protected override void ProcessRecord() => Try(Session.DatabasePath, () => WriteObject(DatabaseInfo.Describe(Store)));
}
