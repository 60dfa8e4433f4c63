using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CloudGateway.Client;
using CloudGateway.Tests.Client;
using CloudGateway.Tunnels;

namespace CloudGateway.Tests.Tunnels;

public sealed class CloudTunnelTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static GatewayClient Client(int port) => new(
        new GatewayClientSettings
        {
            Address = "127.0.0.1",
            Port = port,
            Credential = new NetworkCredential("acme", "s3cret"),
            CertificateThumbprint = TestCertificates.Thumbprint(TestCertificates.Gateway),
        },
        new MemoryGatewayListStore());

    private static async Task<TcpClient> ConnectAsync(CloudTunnel tunnel)
    {
        var client = new TcpClient();
        await client.ConnectAsync(tunnel.LocalEndPoint).WaitAsync(Limit);
        return client;
    }

    private static async Task EchoAsync(TcpClient client, byte value)
    {
        var stream = client.GetStream();
        await stream.WriteAsync(new[] { value, value, value }).AsTask().WaitAsync(Limit);
        var back = new byte[3];
        await stream.ReadExactlyAsync(back).AsTask().WaitAsync(Limit);
        Assert.Equal(new[] { value, value, value }, back);
    }

    [Fact]
    public async Task Tunnel_HundredMegabytes_ArriveIntactBothWays()
    {
        const long total = 100L * 1024 * 1024;
        await using var gateway = new FakeGateway("gw-a");
        gateway.Gateways = [gateway.Endpoint()];
        await using var tunnel = CloudTunnel.Start(1, "sp", "repo", Client(gateway.Port), new IPEndPoint(IPAddress.Loopback, 0));
        using var client = await ConnectAsync(tunnel);
        var stream = client.GetStream();
        var watch = Stopwatch.StartNew();

        var sending = Task.Run(async () =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var random = new Random(42);
            var chunk = new byte[256 * 1024];
            for (long sent = 0; sent < total; sent += chunk.Length)
            {
                random.NextBytes(chunk);
                hash.AppendData(chunk);
                await stream.WriteAsync(chunk);
            }

            client.Client.Shutdown(SocketShutdown.Send);
            return hash.GetHashAndReset();
        });
        var receiving = Task.Run(async () =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[128 * 1024];
            long received = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                received += read;
            }

            return (received, hash.GetHashAndReset());
        });

        var sentHash = await sending.WaitAsync(TimeSpan.FromSeconds(120));
        var (receivedBytes, receivedHash) = await receiving.WaitAsync(TimeSpan.FromSeconds(120));
        watch.Stop();

        Assert.Equal(total, receivedBytes);
        Assert.Equal(Convert.ToHexString(sentHash), Convert.ToHexString(receivedHash));
        Assert.Equal(total, tunnel.BytesSent);
        Assert.Equal(total, tunnel.BytesReceived);
        Assert.Equal("gw-a", tunnel.CurrentGateway);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), $"100 MB took {watch.Elapsed.TotalSeconds:F1} s");
    }

    // A CI run of the Pester suite read Get-CloudTunnel right after its echo came back and found the counters behind:
    // they were moved only after each write had completed.
    [Fact]
    public async Task Counters_ReadAsSoonAsAnEchoIsBack_AlreadyCountIt()
    {
        await using var gateway = new FakeGateway("gw-a");
        gateway.Gateways = [gateway.Endpoint()];
        await using var tunnel = CloudTunnel.Start(1, "sp", "repo", Client(gateway.Port), new IPEndPoint(IPAddress.Loopback, 0));
        using var client = await ConnectAsync(tunnel);

        for (var round = 1; round <= 200; round++)
        {
            await EchoAsync(client, (byte)round);
            Assert.Equal((3L * round, 3L * round), (tunnel.BytesSent, tunnel.BytesReceived));
        }
    }

    [Fact]
    public async Task Tunnel_GatewayKilledWhileServing_NewConnectionsGoThroughTheNextGateway()
    {
        await using var a = new FakeGateway("gw-a");
        await using var b = new FakeGateway("gw-b");
        a.Gateways = b.Gateways = [a.Endpoint(), b.Endpoint()];
        await using var tunnel = CloudTunnel.Start(1, "sp", "repo", Client(a.Port), new IPEndPoint(IPAddress.Loopback, 0));
        using var onA = await ConnectAsync(tunnel);
        await EchoAsync(onA, 1);
        Assert.Equal("gw-a", tunnel.CurrentGateway);

        await a.KillAsync();
        var cut = new byte[1];
        var readAfterKill = await ReadOrFailAsync(onA.GetStream(), cut);
        Assert.Equal(0, readAfterKill);

        for (byte i = 2; i < 6; i++)
        {
            using var next = await ConnectAsync(tunnel);
            await EchoAsync(next, i);
        }

        Assert.Equal("gw-b", tunnel.CurrentGateway);
        Assert.Equal(5, tunnel.Connections);
        Assert.Equal(0, tunnel.FailedConnections);
        Assert.Equal(4, b.SessionsAccepted);
    }

    [Fact]
    public async Task Tunnel_NoGatewayReachable_ClosesLocalConnectionAndRecordsWhy()
    {
        await using var tunnel = CloudTunnel.Start(1, "sp", "repo", Client(SilentEndpoints.RefusingPort()), new IPEndPoint(IPAddress.Loopback, 0));
        using var client = await ConnectAsync(tunnel);

        var read = await ReadOrFailAsync(client.GetStream(), new byte[1]);

        Assert.Equal(0, read);
        Assert.Equal(1, tunnel.FailedConnections);
        Assert.Contains("connection refused", tunnel.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_CalledTwice_ClosesListenerAndLiveConnections()
    {
        await using var gateway = new FakeGateway("gw-a");
        var tunnel = CloudTunnel.Start(1, "sp", "repo", Client(gateway.Port), new IPEndPoint(IPAddress.Loopback, 0));
        using var live = await ConnectAsync(tunnel);
        await EchoAsync(live, 7);

        await tunnel.StopAsync().WaitAsync(Limit);
        await tunnel.StopAsync().WaitAsync(Limit);

        Assert.False(tunnel.IsRunning);
        Assert.Equal(0, await ReadOrFailAsync(live.GetStream(), new byte[1]));
        using var refused = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => refused.ConnectAsync(tunnel.LocalEndPoint).WaitAsync(Limit));
        await tunnel.DisposeAsync();
    }

    [Fact]
    public async Task Start_PortInUse_ThrowsInvalidLocalPort()
    {
        await using var gateway = new FakeGateway("gw-a");
        await using var first = CloudTunnel.Start(1, "sp", "repo", Client(gateway.Port), new IPEndPoint(IPAddress.Loopback, 0));

        var ex = Assert.Throws<GatewayException>(() => CloudTunnel.Start(2, "sp", "repo", Client(gateway.Port), first.LocalEndPoint));

        Assert.Equal("LocalPort", Assert.Single(ex.Problems).Field);
    }

    // A connection cut by the far side reads as end of stream or as a reset; both mean "closed" here.
    private static async Task<int> ReadOrFailAsync(NetworkStream stream, byte[] buffer)
    {
        try
        {
            return await stream.ReadAsync(buffer).AsTask().WaitAsync(Limit);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
