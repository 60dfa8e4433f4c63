using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Renames a gateway pool, changes its description, replaces its member list, or adds and removes members
/// without retyping the list.
/// </summary>
[Cmdlet(VerbsCommon.Set, "CloudGatewayPool", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(GatewayPool))]
public sealed class SetCloudGatewayPoolCommand : CloudGatewayCmdlet
{
    /// <summary>The pools to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(PoolNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The pools to change, as written by Get-CloudGatewayPool.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.ByInputObject)]
    public GatewayPool[] InputObject { get; set; } = [];

    /// <summary>A new unique name.</summary>
    [Parameter]
    public string? NewName { get; set; }

    /// <summary>Free text for administrators.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>The complete new member list, in order; an empty list empties the pool.</summary>
    [Parameter]
    [AllowEmptyCollection]
    [ArgumentCompleter(typeof(GatewayNameCompleter))]
    public string[]? Gateway { get; set; }

    /// <summary>Gateways to append to the member list.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(GatewayNameCompleter))]
    public string[]? AddGateway { get; set; }

    /// <summary>Gateways to take out of the member list; they become standalone.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(GatewayNameCompleter))]
    public string[]? RemoveGateway { get; set; }

    /// <summary>Pools the last standalone gateway even though tenants use standalone gateways.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes each changed pool.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ParameterSets.ByInputObject ? InputObject.Select(pool => pool.Name) : Name;
        foreach (var name in names)
        {
            if (ShouldProcess(name, "Set gateway pool"))
            {
                Try(name, () =>
                {
                    var pool = Store.UpdatePool(name, Change, Force);
                    WriteNotes(ConfigurationReview.AfterPoolChange(Store, pool, "updated"));
                    if (PassThru)
                    {
                        WriteObject(pool);
                    }
                });
            }
        }
    }

    private GatewayPool Change(GatewayPool pool) => pool with
    {
        Name = NewName ?? pool.Name,
        Description = Description ?? pool.Description,
        Members = PoolMembership.Change(pool.Members, Gateway, AddGateway, RemoveGateway),
    };
}
