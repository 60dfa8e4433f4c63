using System.Management.Automation;
using CloudGateway.Hosting;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Waits until the relay this PowerShell process runs has stopped, or the timeout passed, and returns its final
/// status; meanwhile a progress bar shows its sessions, uptime and rate. Ctrl+C ends the wait; the relay keeps running.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "CloudGatewayRelay")]
[OutputType(typeof(RelayStatus))]
public sealed class WaitCloudGatewayRelayCommand : CloudGatewayCmdlet
{
    /// <summary>How long to wait at most (a number means seconds); by default until the relay stops.</summary>
    [Parameter(Position = 0)]
    [SecondsToTimeSpan]
    public TimeSpan? Timeout { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try("CloudGatewayRelay", () =>
        {
            var runner = ModuleRelay.Require();
            var stopped = WaitWithProgress("Waiting for the relay", (progress, cancellationToken) => runner.WaitAsync(Timeout, progress, cancellationToken));
            if (!stopped)
            {
                throw new GatewayException(GatewayErrorCode.RelayError, $"The relay was still running after {Timeout}.", "CloudGatewayRelay");
            }

            ModuleRelay.Release(runner);
            WriteObject(runner.GetStatus());
        });
    }
}
