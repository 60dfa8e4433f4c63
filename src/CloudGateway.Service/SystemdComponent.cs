using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace CloudGateway.Service;

/// <summary>
/// Tells systemd (a Type=notify unit) how the service is doing: READY=1 once every component has started (the relay's
/// listeners are bound by then), WATCHDOG=1 at half the unit's WatchdogSec each time every relay loop has run a
/// posted work item (a stuck loop stops the pings, and systemd restarts the service), and STOPPING=1 when a stop
/// begins. Does nothing where systemd set no NOTIFY_SOCKET.
/// </summary>
internal sealed class SystemdComponent(ISystemdNotifier notifier, IEnumerable<IServiceLiveness> components, TimeProvider time) : IHostedService, IDisposable
{
    private ITimer? _watchdog;
    private int _checking;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!notifier.IsEnabled)
        {
            return Task.CompletedTask;
        }

        notifier.Notify(ServiceState.Ready);
        if (WatchdogInterval() is { } interval)
        {
            _watchdog = time.CreateTimer(_ => _ = FeedWatchdogAsync(interval / 4), null, TimeSpan.Zero, interval / 2);
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

    /// <summary>Sends WATCHDOG=1 when every component answers within <paramref name="timeout"/>; one check at a time.</summary>
    private async Task FeedWatchdogAsync(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _checking, 1) != 0)
        {
            return;
        }

        try
        {
            var answers = await Task.WhenAll(components.Select(c => c.IsResponsiveAsync(timeout))).ConfigureAwait(false);
            if (answers.All(responsive => responsive))
            {
                notifier.Notify(new ServiceState("WATCHDOG=1"));
            }
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

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
