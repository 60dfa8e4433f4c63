using System.Net;
using System.Net.Sockets;
using CloudGateway.Tunnels;

namespace CloudGateway.Tests.Client.EndToEnd;

/// <summary>
/// A tunnel passes the application's half-close on (TLS close_notify) while the relay's bytes are still being
/// decrypted the other way. The two must never run at once on one TLS connection: OpenSSL then fails the
/// close_notify, and the stream used to hang with the application waiting for its end.
/// </summary>
public sealed class TunnelHalfCloseTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Tunnel_HalfClosedWhileBytesStillComeBack_EveryStreamEndsWhole()
    {
        const int size = 2 * 1024 * 1024;
        await using var world = new SpWorld();
        world.AddGateway("gw-a");
        world.AddTenant(failover: false);
        await world.StartRelayAsync();
        await world.AddProviderAsync("gw-a").WaitAsync(Limit);
        await using var tunnel = CloudTunnel.Start(1, "sp", SpWorld.Resource, world.Providers.CreateClient("sp"), new IPEndPoint(IPAddress.Loopback, 0));
        var block = new byte[size];
        new Random(7).NextBytes(block);

        for (var round = 0; round < 20; round++)
        {
            var streams = Enumerable.Range(0, 6).Select(_ => EchoThroughAsync(tunnel, block));
            var results = await Task.WhenAll(streams).WaitAsync(Limit);

            Assert.All(results, back => Assert.True(back.AsSpan().SequenceEqual(block), $"round {round}: {back.Length} of {size} bytes came back"));
        }
    }

    // Sends the block, half-closes, and reads what comes back until the end.
    private static async Task<byte[]> EchoThroughAsync(CloudTunnel tunnel, byte[] block)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(tunnel.LocalEndPoint);
        var stream = client.GetStream();
        var sending = Task.Run(async () =>
        {
            await stream.WriteAsync(block);
            client.Client.Shutdown(SocketShutdown.Send);
        });
        using var back = new MemoryStream();
        await stream.CopyToAsync(back);
        await sending;
        return back.ToArray();
    }
}
