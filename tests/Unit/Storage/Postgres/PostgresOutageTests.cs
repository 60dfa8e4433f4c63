using System.Diagnostics;
using CloudGateway.Model;
using CloudGateway.Storage.Postgres;

namespace CloudGateway.Tests.Storage.Postgres;

/// <summary>The database goes away and comes back: stores report it, then catch up without being reopened.</summary>
public sealed class PostgresOutageTests
{
    [PostgresFact]
    public async Task DatabaseStoppedAndRestarted_StoresReportTheOutageThenCatchUp()
    {
        using var cluster = new PrivatePostgresCluster();
        using var watcher = PostgresConfigurationStore.Open(cluster.ConnectionString);
        using var writer = PostgresConfigurationStore.Open(cluster.ConnectionString);
        await PostgresChangeNotificationTests.WaitUntilListening(watcher);

        cluster.Stop();

        var outage = Assert.Throws<GatewayException>(() => watcher.GetChangeCounter());
        Assert.Equal(GatewayErrorCode.StoreUnavailable, outage.Code);
        await WaitFor(() => !watcher.IsListening, "the listener to notice the outage");

        cluster.Start();
        await WaitFor(() => watcher.IsListening, "the listener to reconnect");
        var known = watcher.GetChangeCounter();
        var waiting = watcher.WaitForChangeAsync(known, TimeSpan.FromSeconds(10), CancellationToken.None);
        var clock = Stopwatch.StartNew();
        writer.AddGateway(new Gateway { Name = "after-outage", Address = "gw.example.net" });

        Assert.True(await waiting);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"woke after {clock.Elapsed}");
        Assert.Equal("after-outage", watcher.GetGateway("after-outage").Name);
    }

    private static async Task WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
