using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CloudGateway.Tests.Relay;

[Collection(RelayTestGroup.Name)]
public sealed class RelayTimeoutTests
{
    private const string Password = "timeout-password";

    [Fact]
    public async Task Connection_SilentClient_ClosedAtHandshakeTimeout()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        var host = await env.StartHostAsync(o => o with { HandshakeTimeout = TimeSpan.FromSeconds(1) });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, RelayTestEnvironment.PortOf(host, "gw"))).WaitAsync(RelayTestClient.Timeout);
        var clock = Stopwatch.StartNew();

        var closed = await ReadUntilClosedAsync(socket).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(closed);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 3.0);
        Assert.Equal(0, env.Backend.Accepted);
        await RelayTestEnvironment.WaitUntilAsync(() => host.GetGatewayStatistics().Single().Connections == 0, TimeSpan.FromSeconds(5), "the connection was released");
    }

    [Fact]
    public async Task Connection_TlsDoneButNoHello_ClosedAtHandshakeTimeout()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        var host = await env.StartHostAsync(o => o with { HandshakeTimeout = TimeSpan.FromSeconds(1) });
        var (socket, tls) = await RelayTestClient.OpenTlsAsync(RelayTestEnvironment.PortOf(host, "gw"));
        using (socket)
        await using (tls)
        {
            var clock = Stopwatch.StartNew();
            var buffer = new byte[16];
            var read = await ReadOrFailAsync(tls, buffer).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, read);
            Assert.InRange(clock.Elapsed.TotalSeconds, 0.5, 3.0);
        }
    }

    [Fact]
    public async Task Session_NoTraffic_ClosedAtIdleTimeout()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Password);
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with { IdleTimeout = TimeSpan.FromSeconds(2) });
        await using var client = await RelayTestClient.ConnectAsync(RelayTestEnvironment.PortOf(host, "gw"), "acme", Password, "repo");
        Assert.True(client.Answer.Accepted);

        // Traffic keeps the session alive past the timeout.
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(300);
            await client.Tls.WriteAsync("x"u8.ToArray()).AsTask().WaitAsync(RelayTestClient.Timeout);
            var echo = new byte[1];
            await client.Tls.ReadExactlyAsync(echo).AsTask().WaitAsync(RelayTestClient.Timeout);
        }

        Assert.Single(host.GetSessions());
        var clock = Stopwatch.StartNew();
        var read = await ReadOrFailAsync(client.Tls, new byte[16]).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, read);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.8, 5.0);
        await RelayTestEnvironment.WaitUntilAsync(
            () => host.GetSessions().Count == 0 && env.Log.Events.Any(e => e.Id.Id == 101 && e.Message.Contains("idle-timeout", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(5),
            "the session ended for idleness");
    }

    private static async Task<int> ReadOrFailAsync(Stream stream, byte[] buffer)
    {
        try
        {
            return await stream.ReadAsync(buffer);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task<bool> ReadUntilClosedAsync(Socket socket)
    {
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // A reset counts as closed.
        }

        return true;
    }
}
