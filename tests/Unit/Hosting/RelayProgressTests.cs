using System.Net;
using CloudGateway.Hosting;
using CloudGateway.Relay;

namespace CloudGateway.Tests.Hosting;

/// <summary>How a drain is reported: sessions and time left, the busiest session, a percentage that never goes back.</summary>
public sealed class RelayProgressTests
{
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(10);

    [Fact]
    public void Drain_TakesTheLargerOfTheTimeGoneAndTheSessionsClosed()
    {
        Assert.Equal(20, RelayProgress.Drain(Sessions(4), 5, TimeSpan.FromSeconds(1), Drain).PercentComplete);
        Assert.Equal(30, RelayProgress.Drain(Sessions(4), 5, TimeSpan.FromSeconds(3), Drain).PercentComplete);
        Assert.Equal(100, RelayProgress.Drain(Sessions(4), 5, TimeSpan.FromSeconds(12), Drain).PercentComplete);
        Assert.Equal(100, RelayProgress.Drain(Sessions(0), 0, TimeSpan.Zero, Drain).PercentComplete);
    }

    [Fact]
    public void Drain_SaysSessionsLeftRateTimeLeftAndTheBusiestSession()
    {
        var report = RelayProgress.Drain(Sessions(2), 3, TimeSpan.FromSeconds(4), Drain);

        Assert.Equal("2 of 3 session(s) left, 1.0 MiB/s still moving", report.Status);
        Assert.Equal("t1/repo through gw1: 1.0 MiB/s", report.CurrentOperation);
        Assert.Equal(TimeSpan.FromSeconds(6), report.Remaining);
    }

    // Session i moves i MiB/s, half each way.
    private static List<RelaySessionInfo> Sessions(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new RelaySessionInfo($"s{i}", $"t{i}", "repo", "gw1", new IPEndPoint(IPAddress.Loopback, 1000 + i),
            DateTimeOffset.UnixEpoch, 0, 0, i * 512 * 1024.0, i * 512 * 1024.0))];
}
