using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace CloudGateway.Service;

/// <summary>
/// Tells systemd (a Type=notify unit) how the service is doing: READY=1 once every component has started (the relay's
/// listeners are bound by then), WATCHDOG=1 at half the unit's WatchdogSec while the process keeps running, and
/// STOPPING=1 when a stop begins. Does nothing where systemd set no NOTIFY_SOCKET.
/// </summary>
internal sealed class SystemdComponent(ISystemdNotifier notifier) : IHostedService, IDisposable
{
    private Timer? _watchdog;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!notifier.IsEnabled)
        {
            return Task.CompletedTask;
        }

        notifier.Notify(ServiceState.Ready);
        if (WatchdogInterval() is { } interval)
        {
            _watchdog = new Timer(_ => notifier.Notify(new ServiceState("WATCHDOG=1")), null, TimeSpan.Zero, interval / 2);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (notifier.IsEnabled)
        {
            notifier.Notify(ServiceState.Stopping);
        }

        return Task.CompletedTask;
    }

    public void Dispose() => _watchdog?.Dispose();

    /// <summary>The unit's watchdog interval when systemd set one for this process (WATCHDOG_USEC, WATCHDOG_PID).</summary>
    private static TimeSpan? WatchdogInterval()
    {
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (pid is not null && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) && microseconds > 0
            ? TimeSpan.FromMicroseconds(microseconds)
            : null;
    }
}
