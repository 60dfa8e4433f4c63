using System.Globalization;
using System.Net;
using CloudGateway.Relay;
using CloudGateway.Storage;

namespace CloudGateway.BenchHost;

/// <summary>
/// <c>follow LOCATION GATEWAY</c>: one relay process of the fleet benchmark. Serves the gateway on a loopback port
/// and prints <c>seen COUNTER UNIX_MICROSECONDS</c> each time the change counter it serves moves (looked at every
/// millisecond), until its standard input closes.
/// </summary>
internal static class FleetFollower
{
    public static async Task<int> RunAsync(string location, string gateway)
    {
        using var store = ConfigurationDatabase.OpenLocation(location);
        var host = await RelayHost.StartAsync(store, new RelayHostOptions
        {
            Gateways = [gateway],
            ListenAddressOverride = IPAddress.Loopback,
            ListenPortOverride = 0,
        }).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            // Console.In reads synchronously even through ReadLineAsync: the wait for the parent to close it gets a thread.
            var inputClosed = Task.Run(Console.In.ReadLine);
            var served = host.ConfigurationChangeCounter;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready {served} {FleetClock.NowMicroseconds()}"));
            while (!inputClosed.IsCompleted)
            {
                var now = host.ConfigurationChangeCounter;
                if (now != served)
                {
                    served = now;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seen {served} {FleetClock.NowMicroseconds()}"));
                }

                await Task.Delay(1).ConfigureAwait(false);
            }

            await host.StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        }

        return 0;
    }
}

/// <summary>The wall clock every process of the fleet benchmark stamps with: one machine, one kernel clock.</summary>
internal static class FleetClock
{
    public static long NowMicroseconds() => (DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
