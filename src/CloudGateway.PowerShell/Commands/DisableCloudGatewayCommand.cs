using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Stops the gateways from accepting tenants; their configuration is kept.</summary>
[Cmdlet(VerbsLifecycle.Disable, "CloudGateway", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(Gateway))]
public sealed class DisableCloudGatewayCommand : CloudGatewayCmdlet
{
    /// <summary>The gateways to disable.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(GatewayNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The gateways to disable, as written by Get-CloudGateway.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.ByInputObject)]
    public Gateway[] InputObject { get; set; } = [];

    /// <summary>Writes each changed gateway.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ParameterSets.ByInputObject ? InputObject.Select(gateway => gateway.Name) : Name;
        ChangeEach(names, "Disable gateway", name => Store.UpdateGateway(name, current => current with { Enabled = false }), PassThru,
            gateway => ConfigurationReview.AfterGatewayChange(Store, gateway, "disabled"));
    }
}
