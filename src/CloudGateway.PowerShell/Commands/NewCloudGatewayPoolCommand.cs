using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Creates a gateway pool and writes it as stored.</summary>
[Cmdlet(VerbsCommon.New, "CloudGatewayPool", SupportsShouldProcess = true)]
[OutputType(typeof(GatewayPool))]
public sealed class NewCloudGatewayPoolCommand : CloudGatewayCmdlet
{
    /// <summary>The new pool's unique name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Member gateways in the order tenants try them.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(GatewayNameCompleter))]
    public string[] Gateway { get; set; } = [];

    /// <summary>Free text for administrators.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string Description { get; set; } = string.Empty;

    /// <summary>Pools the last standalone gateway even though tenants use standalone gateways.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var pool = new GatewayPool { Name = Name, Description = Description, Members = Gateway };
        if (ShouldProcess(Name, "Create gateway pool"))
        {
            Try(Name, () =>
            {
                var added = Store.AddPool(pool, Force);
                WriteNotes(ConfigurationReview.AfterPoolChange(Store, added, "created"));
                WriteObject(added);
            });
        }
    }
}
