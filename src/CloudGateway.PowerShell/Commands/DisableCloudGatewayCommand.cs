using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Stops the gateways from accepting tenants; their configuration is kept. Running relays stop their listeners and
/// let live sessions finish until their drain timeout; with -Wait the call waits for that drain in the relay this
/// PowerShell process runs, showing it as a progress bar.
/// </summary>
[Cmdlet(VerbsLifecycle.Disable, "CloudGateway", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(Gateway))]
public sealed class DisableCloudGatewayCommand : CloudGatewayCmdlet
{
    private readonly List<string> _disabled = [];

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

    /// <summary>Waits until the relay this PowerShell process runs has applied the change and the gateways' live sessions have ended.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ParameterSets.ByInputObject ? InputObject.Select(gateway => gateway.Name) : Name;
        ChangeEach(names, "Disable gateway", Disable, PassThru, gateway => ConfigurationReview.AfterGatewayChange(Store, gateway, "disabled"));
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (!Wait || _disabled.Count == 0)
        {
            return;
        }

        if (ModuleRelay.Current is not { } runner)
        {
            WriteWarning($"No relay runs in this PowerShell process, so there is no drain to wait for here; relays on other servers let the sessions of {string.Join(", ", _disabled)} finish on their own, for up to their drain timeout.");
            return;
        }

        Try("CloudGatewayRelay", () => WaitWithProgress("Draining disabled gateways",
            (progress, cancellationToken) => runner.WaitForGatewayDrainAsync(_disabled, Store.GetChangeCounter(), progress, cancellationToken)));
    }

    private Gateway Disable(string name)
    {
        var gateway = Store.UpdateGateway(name, current => current with { Enabled = false });
        _disabled.Add(gateway.Name);
        return gateway;
    }
}
