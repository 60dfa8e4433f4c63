using CloudGateway.Relay;
using CloudGateway.Service;
using CloudGateway.Tests.Relay;
using Microsoft.Extensions.Hosting.Systemd;

namespace CloudGateway.Tests.Service;

[Collection(RelayTestGroup.Name)]
public sealed class SystemdWatchdogTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Watchdog_PingsOnlyWhileEveryComponentAnswers(bool responsive)
    {
        var notifier = new RecordingNotifier();
        var component = new SystemdComponent(notifier, [new Liveness(responsive)], TimeProvider.System);
        using (WatchdogEnvironment(TimeSpan.FromMilliseconds(400)))
        {
            await component.StartAsync(CancellationToken.None);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        await component.StopAsync(CancellationToken.None);
        component.Dispose();

        var states = notifier.States.Select(s => s.ToString()).ToList();
        Assert.Equal("READY=1", states[0]);
        var pings = states.Count(s => s == "WATCHDOG=1");
        Assert.True(responsive ? pings >= 2 : pings == 0, $"{pings} pings from a component that is {(responsive ? "responsive" : "stuck")}");
        Assert.Equal("STOPPING=1", states[^1]);
    }

    [Fact]
    public async Task RelayHost_WithItsLoopsRunning_IsResponsive()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        var host = await env.StartHostAsync();

        Assert.True(await host.IsResponsiveAsync(TimeSpan.FromSeconds(5)));
    }

    // WATCHDOG_PID names this process, so the child processes other tests start ignore the variables they inherit.
    private static Disposer WatchdogEnvironment(TimeSpan interval)
    {
        Environment.SetEnvironmentVariable("WATCHDOG_PID", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable("WATCHDOG_USEC", ((long)interval.TotalMicroseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new Disposer(() =>
        {
            Environment.SetEnvironmentVariable("WATCHDOG_USEC", null);
            Environment.SetEnvironmentVariable("WATCHDOG_PID", null);
        });
    }

    private sealed class Disposer(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    private sealed class Liveness(bool responsive) : IServiceLiveness
    {
        public async Task<bool> IsResponsiveAsync(TimeSpan timeout)
        {
            if (responsive)
            {
                return true;
            }

            await Task.Delay(timeout);
            return false;
        }
    }

    private sealed class RecordingNotifier : ISystemdNotifier
    {
        private readonly List<ServiceState> _states = [];

        public bool IsEnabled => true;

        public IReadOnlyList<ServiceState> States
        {
            get
            {
                lock (_states)
                {
                    return [.. _states];
                }
            }
        }

        public void Notify(ServiceState state)
        {
            lock (_states)
            {
                _states.Add(state);
            }
        }
    }
}
