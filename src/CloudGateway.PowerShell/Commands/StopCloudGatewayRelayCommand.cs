using System.Management.Automation;
using CloudGateway.Hosting;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Stops the relay this PowerShell process runs: it stops accepting at once, lets live sessions finish until the
/// drain timeout, then closes them. Returns when the relay has stopped, showing the drain as a progress bar (sessions
/// left, bytes still moving, time left); Ctrl+C cuts the drain short.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "CloudGatewayRelay", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(RelayStatus))]
public sealed class StopCloudGatewayRelayCommand : CloudGatewayCmdlet
{
    /// <summary>How long live sessions may go on (a number means seconds); by default the relay's own drain timeout.</summary>
    [Parameter(Position = 0)]
    [SecondsToTimeSpan]
    public TimeSpan? DrainTimeout { get; set; }

    /// <summary>Writes the relay's final status.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try("CloudGatewayRelay", () =>
        {
            var runner = ModuleRelay.Require();
            var drain = DrainTimeout ?? runner.Host.Options.DrainTimeout;
            if (!ShouldProcess(runner.Host.StoreLocation, $"Stop the relay, letting sessions finish for up to {drain}"))
            {
                return;
            }

            WaitWithProgress("Draining the relay", (progress, cancellationToken) => runner.StopAsync(drain, progress, cancellationToken));
            ModuleRelay.Release(runner);
            if (PassThru)
            {
                WriteObject(runner.GetStatus());
            }
        });
    }
}
