using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CloudGateway.Tests.Relay;
using Xunit.Abstractions;

namespace CloudGateway.Tests.Reliability;

/// <summary>Issue 7 item 3: the gateway's maximum plus 100 connections; the excess refused fast, memory bounded, sessions unaffected.</summary>
[Collection(SerialReliability.Name)]
public sealed class ConnectionLimitTests(ITestOutputHelper output)
{
    private const int Maximum = 200;
    private const int Sessions = 10;
    private const int Excess = 100;

    /// <summary>Managed heap growth allowed while the gateway holds its maximum (both ends live in this process).</summary>
    private const long HeapBound = 64L << 20;

    [Fact]
    public async Task MaximumPlusHundred_ExcessRefusedFast_MemoryBounded_SessionsIntact()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", "right-password");
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with { MaxConnectionsPerGateway = Maximum, HandshakeTimeout = TimeSpan.FromSeconds(60) });
        var port = RelayTestEnvironment.PortOf(host, "gw");
        var heapBefore = Traffic.HeapAfterFullCollection();
        var workingSetBefore = Traffic.WorkingSet();

        var clients = new List<RelayTestClient>();
        for (var i = 0; i < Sessions; i++)
        {
            var client = await RelayTestClient.ConnectAsync(port, "acme", "right-password", "repo");
            Assert.True(client.Answer.Accepted, client.Answer.Reason);
            clients.Add(client);
        }

        using var stopTraffic = new CancellationTokenSource();
        var rounds = new long[Sessions];
        var traffic = clients.Select((c, i) => KeepEchoingAsync(c, rounds, i, stopTraffic.Token)).ToList();

        var idle = new List<Socket>();
        var refusedAfter = new List<TimeSpan>();
        try
        {
            for (var i = 0; i < Maximum - Sessions; i++)
            {
                idle.Add(await ConnectAsync(port));
            }

            await RelayTestEnvironment.WaitUntilAsync(() => Traffic.Connections(host) == Maximum, TimeSpan.FromSeconds(10), $"the gateway held {Maximum} connections");
            var roundsAtLimit = rounds.ToArray();
            for (var i = 0; i < Excess; i++)
            {
                var watch = Stopwatch.StartNew();
                using var extra = await ConnectAsync(port);
                await WaitClosedAsync(extra);
                refusedAfter.Add(watch.Elapsed);
            }

            var heapHeld = Traffic.HeapAfterFullCollection();
            var workingSetHeld = Traffic.WorkingSet();
            var held = Traffic.Connections(host);
            await Task.Delay(500);
            var roundsAfter = rounds.ToArray();

            output.WriteLine($"held {held} connections ({Sessions} sessions); {Excess} excess refused in median {refusedAfter.Order().ElementAt(Excess / 2).TotalMilliseconds:F1} ms, slowest {refusedAfter.Max().TotalMilliseconds:F1} ms");
            output.WriteLine($"managed heap {heapBefore >> 10} KiB -> {heapHeld >> 10} KiB (+{(heapHeld - heapBefore) >> 10} KiB, bound {HeapBound >> 20} MiB); working set {workingSetBefore >> 20} MiB -> {workingSetHeld >> 20} MiB");
            output.WriteLine($"echo rounds per session (64 KiB each) at the limit {string.Join(',', roundsAtLimit)}, after the excess {string.Join(',', roundsAfter)}");
            Assert.Equal(Maximum, held);
            Assert.All(refusedAfter, t => Assert.True(t < TimeSpan.FromSeconds(2), $"an excess connection stayed open {t.TotalMilliseconds:F0} ms"));
            Assert.True(refusedAfter.Order().ElementAt(Excess / 2) < TimeSpan.FromMilliseconds(250), "the excess is not refused fast");
            Assert.InRange(heapHeld - heapBefore, long.MinValue, HeapBound);
            Assert.All(Enumerable.Range(0, Sessions), i => Assert.True(roundsAfter[i] > roundsAtLimit[i], $"session {i} stopped transferring"));
        }
        finally
        {
            await stopTraffic.CancelAsync();
            foreach (var socket in idle)
            {
                socket.Dispose();
            }
        }

        var intact = await Task.WhenAll(traffic);
        Assert.All(intact, Assert.True);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        await RelayTestEnvironment.WaitUntilAsync(() => Traffic.Connections(host) == 0, TimeSpan.FromSeconds(10), "every connection closed");
    }

    private static async Task<bool> KeepEchoingAsync(RelayTestClient client, long[] rounds, int index, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (!await Traffic.EchoAsync(client.Tls, 64 * 1024, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None))
            {
                return false;
            }

            Interlocked.Increment(ref rounds[index]);
        }

        return true;
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(TimeSpan.FromSeconds(15));
        return socket;
    }

    private static async Task WaitClosedAsync(Socket socket)
    {
        var buffer = new byte[256];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token) > 0)
            {
                Assert.Fail("an excess connection received data");
            }
        }
        catch (SocketException)
        {
            // Reset: refused as well.
        }
    }
}
