using System.Net;
using System.Net.Sockets;
using CloudGateway.Model;
using CloudGateway.Protocol;

namespace CloudGateway.Tests.Relay;

/// <summary>3 tenants x 2 pools x 4 gateways: each tenant reaches only its own resources through its own gateways.</summary>
[Collection(RelayTestGroup.Name)]
public sealed class RelayIsolationTests
{
    private const string Password = "matrix-password";

    [Fact]
    public async Task Matrix_ThreeTenantsTwoPoolsFourGateways_EachReachesOnlyItsOwn()
    {
        await using var env = new RelayTestEnvironment();
        await using var backendB = new EchoBackend();
        await using var backendC = new EchoBackend();
        env.AddGateway("gw-a1", port: 7001);
        env.Store.AddGateway(new Gateway { Name = "gw-a2", Address = "a2.example.test", NetworkMode = NetworkMode.Nat, Port = 443, InternalPort = 7002, Server = RelayTestEnvironment.Server });
        env.AddGateway("gw-a3-off", enabled: false, port: 7003);
        env.AddGateway("gw-b1", port: 7004);
        env.AddGateway("gw-s", port: 7005);
        env.AddPool("pool-a", "gw-a2", "gw-a1", "gw-a3-off");
        env.AddPool("pool-b", "gw-b1");
        env.AddTenant("tenant-a", Password, t => t with { GatewaySelection = GatewaySelection.Pools, Pools = ["pool-a"] });
        env.AddTenant("tenant-b", Password, t => t with { GatewaySelection = GatewaySelection.Pools, Pools = ["pool-b"], GatewayFailover = true });
        env.AddTenant("tenant-c", Password);
        env.AddResource("tenant-a", "repo");
        env.AddResource("tenant-b", "repo", backendB.Port);
        env.AddResource("tenant-c", "repo", backendC.Port);
        env.AddResource("tenant-b", "b-only", backendB.Port);
        var host = await env.StartHostAsync();
        var allowed = new Dictionary<string, string[]>
        {
            ["tenant-a"] = ["gw-a1", "gw-a2"],
            ["tenant-b"] = ["gw-b1"],
            ["tenant-c"] = ["gw-s"],
        };

        foreach (var (tenant, gateways) in allowed)
        {
            foreach (var gateway in new[] { "gw-a1", "gw-a2", "gw-b1", "gw-s" })
            {
                var port = RelayTestEnvironment.PortOf(host, gateway);
                await using var session = await RelayTestClient.ConnectAsync(port, tenant, Password, "repo");
                await using var list = await RelayTestClient.ConnectAsync(port, tenant, Password, null);
                var expected = gateways.Contains(gateway) ? null : RefusalReason.GatewayNotAllowed;
                Assert.True(expected == session.Answer.Reason, $"{tenant} on {gateway}: {session.Answer.Reason}");
                Assert.Equal(expected, list.Answer.Reason);
                if (expected is null)
                {
                    await AssertEchoAsync(session);
                    await using var foreign = await RelayTestClient.ConnectAsync(port, tenant, Password, "b-only");
                    Assert.Equal(tenant == "tenant-b" ? null : RefusalReason.ResourceNotFound, foreign.Answer.Reason);
                }
            }
        }

        Assert.Equal(2, env.Backend.Accepted);
        Assert.Equal(2, backendB.Accepted);
        Assert.Equal(1, backendC.Accepted);
        Assert.Equal(["gw-a2:443:False", "gw-a1:7001:False"], await ListAsync(host, "tenant-a", "gw-a1"));
        Assert.Equal(["gw-b1:7004:False", "gw-s:7005:True"], await ListAsync(host, "tenant-b", "gw-b1"));
        Assert.Equal(["gw-s:7005:False"], await ListAsync(host, "tenant-c", "gw-s"));

        env.Store.UpdateGateway("gw-b1", g => g with { Enabled = false });
        await RelayTestEnvironment.WaitUntilAsync(() => host.ConfigurationChangeCounter == env.Store.GetChangeCounter(), TimeSpan.FromSeconds(5), "the change reached the host");
        await using (var fallback = await RelayTestClient.ConnectAsync(RelayTestEnvironment.PortOf(host, "gw-s"), "tenant-b", Password, "repo"))
        {
            Assert.True(fallback.Answer.Accepted, fallback.Answer.Reason);
            Assert.Equal(["gw-s:7005:True"], fallback.Answer.Gateways.Select(Describe));
        }

        await using var stillFenced = await RelayTestClient.ConnectAsync(RelayTestEnvironment.PortOf(host, "gw-s"), "tenant-a", Password, "repo");
        Assert.Equal(RefusalReason.GatewayNotAllowed, stillFenced.Answer.Reason);
    }

    [Fact]
    public async Task Fallback_PoolGatewayDownOnThisHost_StandaloneAdmitsUntilItListensAgain()
    {
        await using var env = new RelayTestEnvironment();
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();
        var busyPort = ((IPEndPoint)squatter.LocalEndPoint!).Port;
        env.AddGateway("gw-pool", port: busyPort);
        env.AddGateway("gw-s", port: FreePort());
        env.AddPool("pool", "gw-pool");
        env.AddTenant("tenant", Password, t => t with { GatewaySelection = GatewaySelection.Pools, Pools = ["pool"], GatewayFailover = true });
        env.AddResource("tenant", "repo");
        var host = await env.StartHostAsync(o => o with { ListenPortOverride = null });
        var failed = Assert.Single(host.GetGatewayStatistics(), g => g.Gateway == "gw-pool");
        Assert.False(failed.Listening);
        Assert.NotNull(failed.Error);

        await using (var fallback = await RelayTestClient.ConnectAsync(RelayTestEnvironment.PortOf(host, "gw-s"), "tenant", Password, "repo"))
        {
            Assert.True(fallback.Answer.Accepted, fallback.Answer.Reason);
        }

        squatter.Close();
        env.Store.UpdateGateway("gw-s", g => g with { Description = "touch: listeners are retried on a configuration change" });
        await RelayTestEnvironment.WaitUntilAsync(() => host.GetGatewayStatistics().Any(g => g.Gateway == "gw-pool" && g.Listening), TimeSpan.FromSeconds(5), "the pool gateway listens");
        await using var back = await RelayTestClient.ConnectAsync(RelayTestEnvironment.PortOf(host, "gw-s"), "tenant", Password, "repo");
        Assert.Equal(RefusalReason.GatewayNotAllowed, back.Answer.Reason);
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static async Task<string[]> ListAsync(CloudGateway.Relay.RelayHost host, string tenant, string gateway)
    {
        await using var list = await RelayTestClient.ConnectAsync(RelayTestEnvironment.PortOf(host, gateway), tenant, Password, null);
        Assert.True(list.Answer.Accepted);
        Assert.NotNull(list.Answer.SessionId);
        Assert.Equal(0, await list.ReadToEndAsync(TimeSpan.FromSeconds(5)));
        return [.. list.Answer.Gateways.Select(Describe)];
    }

    private static string Describe(GatewayEndpoint g) => $"{g.Name}:{g.Port}:{g.Fallback}";

    private static async Task AssertEchoAsync(RelayTestClient session)
    {
        var probe = "ping"u8.ToArray();
        await session.Tls.WriteAsync(probe).AsTask().WaitAsync(RelayTestClient.Timeout);
        var buffer = new byte[probe.Length];
        await session.Tls.ReadExactlyAsync(buffer).AsTask().WaitAsync(RelayTestClient.Timeout);
        Assert.Equal(probe, buffer);
    }
}
