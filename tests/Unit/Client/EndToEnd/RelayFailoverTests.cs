using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CloudGateway.Model;
using CloudGateway.Tunnels;

namespace CloudGateway.Tests.Client.EndToEnd;

/// <summary>The tenant client against the real relay host and real SQLite files on both sides.</summary>
public sealed class RelayFailoverTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private static async Task<string> EventuallyAsync(Func<Task<string>> attempt, Func<string, bool> done, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var result = await attempt();
            if (done(result) || watch.Elapsed > within)
            {
                return result;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task OpenResource_GatewayDisabledOnSpSide_NextConnectionGoesElsewhere()
    {
        await using var world = new SpWorld();
        world.AddGateway("gw-a");
        world.AddGateway("gw-b");
        world.Sp.AddPool(new GatewayPool { Name = "p1", Members = ["gw-a", "gw-b"] });
        world.AddTenant(failover: false, "p1");
        await world.StartRelayAsync();
        var provider = await world.AddProviderAsync("gw-a").WaitAsync(Limit);
        Assert.Equal(["gw-a", "gw-b"], provider.Gateways.Select(g => g.Name));
        var client = world.Providers.CreateClient("sp");
        Assert.Equal("gw-a", await SpWorld.OpenAndEchoAsync(client));

        world.Sp.UpdateGateway("gw-a", g => g with { Enabled = false });
        var used = await EventuallyAsync(() => SpWorld.OpenAndEchoAsync(client), g => g == "gw-b", TimeSpan.FromSeconds(3));

        Assert.Equal("gw-b", used);
        Assert.Equal(["gw-b"], world.Tenants.GetProvider("sp").Gateways.Select(g => g.Name));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OpenResource_EveryPoolGatewayDown_FallbackOnlyWithGatewayFailover(bool failover)
    {
        await using var world = new SpWorld();
        world.AddGateway("gw-a");
        world.AddGateway("gw-b");
        world.AddGateway("gw-s");
        world.Sp.AddPool(new GatewayPool { Name = "p1", Members = ["gw-a", "gw-b"] }, force: true);
        world.AddTenant(failover, "p1");
        await world.StartRelayAsync();
        var provider = await world.AddProviderAsync("gw-a").WaitAsync(Limit);
        Assert.Equal(failover ? ["gw-a", "gw-b", "gw-s"] : ["gw-a", "gw-b"], provider.Gateways.Select(g => g.Name));
        var client = world.Providers.CreateClient("sp");

        world.Sp.UpdateGateway("gw-a", g => g with { Enabled = false });
        world.Sp.UpdateGateway("gw-b", g => g with { Enabled = false });
        await world.WaitForRelaysAsync();

        if (failover)
        {
            Assert.Equal("gw-s", await SpWorld.OpenAndEchoAsync(client));
            Assert.True(client.Gateways.Single(g => g.Name == "gw-s").Fallback);
        }
        else
        {
            var ex = await Assert.ThrowsAsync<GatewayException>(() => SpWorld.OpenAndEchoAsync(client));
            Assert.Equal(GatewayErrorCode.NoGatewayAvailable, ex.Code);
            Assert.Contains("gw-a (127.0.0.1:", ex.Message, StringComparison.Ordinal);
            Assert.Contains("gw-b (127.0.0.1:", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OpenResource_GatewayAddedOnSpSideLater_AppearsInTenantListAfterNextConnection()
    {
        await using var world = new SpWorld();
        world.AddGateway("gw-a");
        world.Sp.AddPool(new GatewayPool { Name = "p1", Members = ["gw-a"] });
        world.AddTenant(failover: false, "p1");
        await world.StartRelayAsync();
        await world.AddProviderAsync("gw-a").WaitAsync(Limit);
        var client = world.Providers.CreateClient("sp");

        world.AddGateway("gw-c");
        world.Sp.UpdatePool("p1", p => p with { Members = ["gw-a", "gw-c"] });
        await EventuallyAsync(async () => { await SpWorld.OpenAndEchoAsync(client); return string.Join(",", client.Gateways.Select(g => g.Name)); }, l => l == "gw-a,gw-c", TimeSpan.FromSeconds(3));

        Assert.Equal(["gw-a", "gw-c"], world.Tenants.GetProvider("sp").Gateways.Select(g => g.Name));
    }

    [Fact]
    public async Task OpenResource_WrongCredential_RefusedOnceWithoutTryingEveryGateway()
    {
        await using var world = new SpWorld();
        world.AddGateway("gw-a");
        world.AddGateway("gw-b");
        world.Sp.AddPool(new GatewayPool { Name = "p1", Members = ["gw-a", "gw-b"] });
        world.AddTenant(failover: false, "p1");
        await world.StartRelayAsync();
        await world.AddProviderAsync("gw-a").WaitAsync(Limit);
        world.Providers.Set("sp", new CloudGateway.Client.Providers.ProviderChange(), new NetworkCredential(SpWorld.Tenant, "wrong"));

        var ex = await Assert.ThrowsAsync<GatewayException>(() => SpWorld.OpenAndEchoAsync(world.Providers.CreateClient("sp")));

        Assert.Equal(CloudGateway.Protocol.RefusalReason.InvalidCredentials, CloudGateway.Client.GatewayRefusal.ReasonOf(ex));
        Assert.Equal(1, world.Sp.GetTenant(SpWorld.Tenant).FailedLogonCount);
    }

    [Fact]
    public async Task Tunnel_HundredMegabytesThroughRelay_IntactAndServesNewConnectionsWhileAGatewayIsKilled()
    {
        const long total = 100L * 1024 * 1024;
        await using var world = new SpWorld();
        world.AddGateway("gw-a");
        world.AddGateway("gw-b");
        world.Sp.AddPool(new GatewayPool { Name = "p1", Members = ["gw-a", "gw-b"] });
        world.AddTenant(failover: false, "p1");
        var hostA = await world.StartRelayAsync(1, "gw-a");
        await world.StartRelayAsync("gw-b");
        await world.AddProviderAsync("gw-a").WaitAsync(Limit);
        var noCoolDown = new CloudGateway.Client.Providers.ProviderOperations(world.Tenants, new CloudGateway.Client.GatewayClientOptions { CoolDown = TimeSpan.Zero });
        await using var tunnel = CloudTunnel.Start(1, "sp", SpWorld.Resource, noCoolDown.CreateClient("sp"), new IPEndPoint(IPAddress.Loopback, 0));

        // The first connection takes gw-a's only slot, so the bulk transfer goes through gw-b; then gw-a is killed.
        using var onA = new TcpClient();
        await onA.ConnectAsync(tunnel.LocalEndPoint).WaitAsync(Limit);
        await onA.GetStream().WriteAsync(new byte[] { 9 }).AsTask().WaitAsync(Limit);
        await onA.GetStream().ReadExactlyAsync(new byte[1]).AsTask().WaitAsync(Limit);
        Assert.Equal("gw-a", tunnel.CurrentGateway);

        using var bulk = new TcpClient();
        await bulk.ConnectAsync(tunnel.LocalEndPoint).WaitAsync(Limit);
        var bulkStream = bulk.GetStream();
        var sending = Task.Run(async () =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var random = new Random(7);
            var chunk = new byte[256 * 1024];
            for (long sent = 0; sent < total; sent += chunk.Length)
            {
                random.NextBytes(chunk);
                hash.AppendData(chunk);
                await bulkStream.WriteAsync(chunk);
            }

            bulk.Client.Shutdown(SocketShutdown.Send);
            return Convert.ToHexString(hash.GetHashAndReset());
        });
        var receiving = Task.Run(async () =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[128 * 1024];
            long received = 0;
            int read;
            while ((read = await bulkStream.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                received += read;
            }

            return (received, Convert.ToHexString(hash.GetHashAndReset()));
        });

        await RelayTestWait.UntilAsync(() => tunnel.CurrentGateway == "gw-b" && tunnel.BytesReceived > 0, Limit);
        await hostA.StopAsync(TimeSpan.Zero).WaitAsync(Limit);
        for (var i = 0; i < 3; i++)
        {
            using var next = new TcpClient();
            await next.ConnectAsync(tunnel.LocalEndPoint).WaitAsync(Limit);
            await next.GetStream().WriteAsync(new byte[] { 1, 2, 3 }).AsTask().WaitAsync(Limit);
            var back = new byte[3];
            await next.GetStream().ReadExactlyAsync(back).AsTask().WaitAsync(Limit);
            Assert.Equal(new byte[] { 1, 2, 3 }, back);
        }

        Assert.Equal("gw-b", tunnel.CurrentGateway);
        Assert.Equal(5, tunnel.Connections);
        Assert.Equal(0, tunnel.FailedConnections);
        var sentHash = await sending.WaitAsync(TimeSpan.FromSeconds(120));
        var (receivedBytes, receivedHash) = await receiving.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(total, receivedBytes);
        Assert.Equal(sentHash, receivedHash);
    }
}
