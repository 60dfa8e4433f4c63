using System.Diagnostics;
using CloudGateway.Model;
using CloudGateway.Storage.Postgres;
using Xunit.Abstractions;

namespace CloudGateway.Tests.Storage.Postgres;

/// <summary>LISTEN/NOTIFY: a change made through one server wakes the others at once.</summary>
public sealed class PostgresChangeNotificationTests(ITestOutputHelper output) : IDisposable
{
    private readonly PostgresTestSchema? _schema = PostgresTestServer.ConnectionString is null ? null : new PostgresTestSchema();

    private PostgresTestSchema Schema => _schema ?? throw new InvalidOperationException(PostgresTestServer.SkipReason);

    public void Dispose() => _schema?.Dispose();

    [PostgresFact]
    public async Task WaitForChangeAsync_ChangeThroughAnotherServer_WakesWellWithinTwoSeconds()
    {
        using var watcher = PostgresConfigurationStore.Open(Schema.ConnectionString);
        using var writer = PostgresConfigurationStore.Open(Schema.ConnectionString);
        await WaitUntilListening(watcher);
        var latencies = new List<double>();

        for (var i = 0; i < 20; i++)
        {
            var known = watcher.GetChangeCounter();
            var waiting = watcher.WaitForChangeAsync(known, TimeSpan.FromSeconds(10), CancellationToken.None);
            var clock = Stopwatch.StartNew();
            writer.AddGateway(new Gateway { Name = $"gw{i}", Address = "gw.example.net" });
            var committed = clock.Elapsed;

            Assert.True(await waiting);
            latencies.Add((clock.Elapsed - committed).TotalMilliseconds);
            Assert.True(watcher.GetChangeCounter() > known);
        }

        latencies.Sort();
        output.WriteLine($"notify latency after commit over 20 changes: median {latencies[10]:F1} ms, max {latencies[^1]:F1} ms");
        Assert.True(latencies[^1] < 2000, $"slowest notification took {latencies[^1]} ms");
    }

    [PostgresFact]
    public async Task WaitForChangeAsync_NoChange_ReturnsFalseAtMaxWait()
    {
        using var watcher = PostgresConfigurationStore.Open(Schema.ConnectionString);
        var known = watcher.GetChangeCounter();
        var clock = Stopwatch.StartNew();

        var changed = await watcher.WaitForChangeAsync(known, TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.False(changed);
        Assert.InRange(clock.Elapsed.TotalMilliseconds, 250, 5000);
    }

    [PostgresFact]
    public async Task WaitForChangeAsync_ChangeInAnotherSchemaOfTheSameDatabase_DoesNotWake()
    {
        using var otherSchema = new PostgresTestSchema();
        using var watcher = PostgresConfigurationStore.Open(Schema.ConnectionString);
        using var other = PostgresConfigurationStore.Open(otherSchema.ConnectionString);
        await WaitUntilListening(watcher);
        var known = watcher.GetChangeCounter();

        var waiting = watcher.WaitForChangeAsync(known, TimeSpan.FromMilliseconds(800), CancellationToken.None);
        other.AddGateway(new Gateway { Name = "elsewhere", Address = "gw.example.net" });

        Assert.False(await waiting);
    }

    [PostgresFact]
    public async Task WaitForChangeAsync_Cancelled_Throws()
    {
        using var watcher = PostgresConfigurationStore.Open(Schema.ConnectionString);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            watcher.WaitForChangeAsync(watcher.GetChangeCounter(), TimeSpan.FromSeconds(30), cancel.Token));
    }

    internal static async Task WaitUntilListening(PostgresConfigurationStore store)
    {
        var clock = Stopwatch.StartNew();
        await store.WaitForChangeAsync(long.MaxValue, TimeSpan.Zero, CancellationToken.None);
        while (!store.IsListening)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the change listener did not connect within 10 s");
            await Task.Delay(20);
        }
    }
}
