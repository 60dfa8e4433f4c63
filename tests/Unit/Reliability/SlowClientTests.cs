using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CloudGateway.Tests.Relay;
using Xunit.Abstractions;

namespace CloudGateway.Tests.Reliability;

/// <summary>Issue 7 item 2: connections that stall before TLS, inside TLS or before the hello are all closed by the handshake timeout.</summary>
[Collection(SerialReliability.Name)]
public sealed class SlowClientTests(ITestOutputHelper output)
{
    private const int PerKind = 167;
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task StalledConnections_FiveHundred_AllClosedByTimeoutWhileTenantConnectsWithinOneSecond()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", "right-password");
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with { HandshakeTimeout = HandshakeTimeout });
        var port = RelayTestEnvironment.PortOf(host, "gw");
        await using (var warm = await RelayTestClient.ConnectAsync(port, "acme", "right-password", "repo"))
        {
            Assert.True(warm.Answer.Accepted, warm.Answer.Reason);
        }

        await RelayTestEnvironment.WaitUntilAsync(() => Traffic.Connections(host) == 0, TimeSpan.FromSeconds(5), "the warm-up connection closed");
        var baseline = Traffic.Connections(host);

        using var stopProbe = new CancellationTokenSource();
        var probe = ProbeAsync(port, stopProbe.Token);
        var stalls = new List<Task<TimeSpan>>();
        for (var i = 0; i < PerKind; i++)
        {
            stalls.Add(StallBeforeTlsAsync(port));
            stalls.Add(StallInsideTlsAsync(port));
            if (stalls.Count < 500)
            {
                stalls.Add(StallBeforeHelloAsync(port));
            }

            if (i % 10 == 9)
            {
                // Ramped over about a second: the attacker's own TLS handshakes share this process's two cores.
                await Task.Delay(50);
            }
        }

        var peak = 0;
        var watch = Stopwatch.StartNew();
        while (!stalls.TrueForAll(t => t.IsCompleted) && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            peak = Math.Max(peak, Traffic.Connections(host));
            await Task.Delay(20);
        }

        var closedAfter = await Task.WhenAll(stalls);
        await RelayTestEnvironment.WaitUntilAsync(() => Traffic.Connections(host) == baseline, TimeSpan.FromSeconds(10), "the connection count returned to its baseline");
        await stopProbe.CancelAsync();
        var latencies = await probe;

        output.WriteLine($"stalled connections: {closedAfter.Length}, peak held at once: {peak}, closed after {closedAfter.Min().TotalSeconds:F2}..{closedAfter.Max().TotalSeconds:F2} s (timeout {HandshakeTimeout.TotalSeconds} s)");
        output.WriteLine($"legitimate connections meanwhile: {latencies.Count}, slowest {latencies.Max().TotalMilliseconds:F0} ms, median {latencies.Order().ElementAt(latencies.Count / 2).TotalMilliseconds:F0} ms");
        Assert.Equal(500, closedAfter.Length);
        Assert.True(peak >= 400, $"only {peak} stalled connections were ever held at once");
        Assert.All(closedAfter, t => Assert.InRange(t, HandshakeTimeout - TimeSpan.FromMilliseconds(200), HandshakeTimeout + TimeSpan.FromSeconds(8)));
        Assert.True(latencies.Count >= 5, $"only {latencies.Count} legitimate connections were tried");
        Assert.All(latencies, l => Assert.True(l < TimeSpan.FromSeconds(1), $"a legitimate tenant took {l.TotalMilliseconds:F0} ms to connect"));
        Assert.Equal(0, Traffic.Sessions(host));
    }

    private static async Task<List<TimeSpan>> ProbeAsync(int port, CancellationToken stop)
    {
        var latencies = new List<TimeSpan>();
        while (!stop.IsCancellationRequested)
        {
            var watch = Stopwatch.StartNew();
            await using (var client = await RelayTestClient.ConnectAsync(port, "acme", "right-password", "repo"))
            {
                Assert.True(client.Answer.Accepted, client.Answer.Reason);
                latencies.Add(watch.Elapsed);
            }

            try
            {
                await Task.Delay(150, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return latencies;
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(TimeSpan.FromSeconds(15));
        return socket;
    }

    /// <summary>TCP only: not one byte sent.</summary>
    private static async Task<TimeSpan> StallBeforeTlsAsync(int port)
    {
        // Timed from before the connect, like the gateway's clock (from its accept): a connect's completion can reach
        // this process's busy thread pool late, and a watch started then would see the timeout early.
        var watch = Stopwatch.StartNew();
        using var socket = await ConnectAsync(port);
        await WaitClosedAsync(socket);
        return watch.Elapsed;
    }

    /// <summary>The first bytes of a ClientHello record, then silence.</summary>
    private static async Task<TimeSpan> StallInsideTlsAsync(int port)
    {
        var watch = Stopwatch.StartNew();
        using var socket = await ConnectAsync(port);
        byte[] partialClientHello = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03, 0x5A, 0x5A];
        await socket.SendAsync(partialClientHello);
        await WaitClosedAsync(socket);
        return watch.Elapsed;
    }

    /// <summary>A complete TLS handshake, then no hello.</summary>
    private static async Task<TimeSpan> StallBeforeHelloAsync(int port)
    {
        var watch = Stopwatch.StartNew();
        var (socket, tls) = await RelayTestClient.OpenTlsAsync(port);
        using (socket)
        await using (tls)
        {
            var buffer = new byte[16];
            try
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                while (await tls.ReadAsync(buffer, limit.Token) > 0)
                {
                    Assert.Fail("the gateway sent data before any hello");
                }
            }
            catch (IOException)
            {
                // Reset by the gateway: closed as well.
            }

            return watch.Elapsed;
        }
    }

    private static async Task WaitClosedAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token) > 0)
            {
                // A TLS alert may come before the close.
            }
        }
        catch (SocketException)
        {
            // Reset by the gateway: closed as well.
        }
    }
}
