using System.Diagnostics;
using System.Net;
using System.Security.Authentication;
using CloudGateway.Certificates;
using CloudGateway.Client;
using CloudGateway.Model;
using CloudGateway.Relay;
using CloudGateway.Security;
using CloudGateway.Storage;
using CloudGateway.Tests.Relay;
using CloudGateway.Tests.Service;
using Xunit.Abstractions;

namespace CloudGateway.Tests.Reliability;

/// <summary>
/// Issue 7 item 5: faults between tenant and gateway and between gateway and resource end in a clean error or a
/// completed transfer, never a hang or a leaked session; a killed gateway is survived through another one.
/// </summary>
[Collection(SerialReliability.Name)]
public sealed class FaultPathTests(ITestOutputHelper output)
{
    private const int TransferBytes = 256 * 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>The tenant's own limit for connecting and for the transfer: behind a frozen path only its own timeout can end its wait.</summary>
    private static readonly TimeSpan TenantDeadline = TimeSpan.FromSeconds(5);

    public static TheoryData<string, string> Faults => new()
    {
        { "tenant", "latency" }, { "tenant", "drip" }, { "tenant", "reset-in-tls" }, { "tenant", "reset-mid-transfer" },
        { "tenant", "freeze-in-tls" }, { "tenant", "freeze-mid-transfer" },
        { "resource", "latency" }, { "resource", "drip" }, { "resource", "reset-at-connect" }, { "resource", "reset-mid-transfer" },
        { "resource", "freeze-mid-transfer" }, { "resource", "dies-mid-transfer" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Fault_InThePath_EndsCleanlyWithoutLeakedSession(string side, string kind)
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", "right-password");
        var fault = kind switch
        {
            "latency" => new Fault(Latency: TimeSpan.FromMilliseconds(5)),
            "drip" => new Fault(DripBytes: 1024, DripDelay: TimeSpan.FromMilliseconds(2)),
            "reset-in-tls" => new Fault(ResetAfterBytes: 600),
            "reset-at-connect" => new Fault(ResetAfterBytes: 1),
            "reset-mid-transfer" => new Fault(ResetAfterBytes: TransferBytes / 2),
            "freeze-in-tls" => new Fault(FreezeAfterBytes: 600),
            "freeze-mid-transfer" => new Fault(FreezeAfterBytes: TransferBytes / 2),
            _ => Fault.None,
        };
        await using var resourceProxy = new FaultProxy(env.Backend.Port, side == "resource" ? fault : Fault.None);
        env.AddResource("acme", "repo", resourceProxy.Port);
        var host = await env.StartHostAsync(o => o with { HandshakeTimeout = TimeSpan.FromSeconds(2), IdleTimeout = TimeSpan.FromSeconds(2) });
        await using var tenantProxy = new FaultProxy(RelayTestEnvironment.PortOf(host, "gw"), side == "tenant" ? fault : Fault.None);

        var watch = Stopwatch.StartNew();
        var outcome = await RunAsync(tenantProxy.Port, kind == "dies-mid-transfer" ? resourceProxy : null, TenantDeadline).WaitAsync(Bound);
        var elapsed = watch.Elapsed;
        Assert.DoesNotContain("CORRUPT", outcome, StringComparison.Ordinal);
        await RelayTestEnvironment.WaitUntilAsync(() => Traffic.Connections(host) == 0, TimeSpan.FromSeconds(10), "no connection was left on the host");
        output.WriteLine($"{side} side, {fault}: {outcome} after {elapsed.TotalMilliseconds:F0} ms; host sessions {Traffic.Sessions(host)}, connections {Traffic.Connections(host)}");

        var expected = kind is "latency" or "drip" ? "completed" : "error";
        Assert.StartsWith(expected, outcome, StringComparison.Ordinal);
        Assert.Equal(0, Traffic.Sessions(host));
    }

    [Fact]
    public async Task GatewayKilledMidTransfer_TenantGetsErrorAndNextConnectionGoesThroughAnotherGateway()
    {
        using var folder = new Client.TempFolder();
        var database = folder.File("sp.db");
        await using var echo = new EchoBackend();
        using var store = ConfigurationDatabase.Open(database);
        var ports = new[] { Client.SilentEndpoints.RefusingPort(), Client.SilentEndpoints.RefusingPort() };
        for (var i = 0; i < 2; i++)
        {
            store.AddGateway(new Gateway { Name = $"gw{i + 1}", Address = "127.0.0.1", ListenAddress = "127.0.0.1", Port = ports[i], InternalPort = ports[i] });
        }

        store.AddPool(new GatewayPool { Name = "pool", Members = ["gw1", "gw2"] });
        store.AddTenant(new CloudGateway.Model.Tenant { Name = "acme", GatewaySelection = GatewaySelection.Pools, Pools = ["pool"] }, RelayTestEnvironment.HashPassword("right-password"));
        store.AddResource(new TenantResource { Tenant = "acme", Name = "repo", TargetHost = "127.0.0.1", TargetPort = echo.Port });
        var thumbprint = new GatewayCertificateManager(store).Create(new NewCertificateOptions(), force: false).Thumbprint;

        using var service = ServiceProcess.Start("--database", database, "--gateway", "gw1");
        await service.WaitForEventAsync(100, TimeSpan.FromSeconds(30));
        await using var survivor = await RelayHost.StartAsync(store, new RelayHostOptions { Gateways = ["gw2"], ConfigurationPollInterval = TimeSpan.FromMilliseconds(100) });

        var client = new GatewayClient(
            new GatewayClientSettings { Address = "127.0.0.1", Port = ports[0], Credential = new NetworkCredential("acme", "right-password"), CertificateThumbprint = thumbprint },
            options: new GatewayClientOptions { ConnectTimeout = TimeSpan.FromSeconds(2) });
        var stream = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Bound);
        Assert.Equal("gw1", stream.Gateway.Name);
        var rounds = 0;
        Exception? failure = null;
        var watch = Stopwatch.StartNew();
        await using (stream)
        {
            for (; rounds < 10_000 && failure is null; rounds++)
            {
                if (rounds == 5)
                {
                    service.Kill();
                    watch.Restart();
                }

                try
                {
                    Assert.True(await Traffic.EchoAsync(stream, 64 * 1024, CancellationToken.None).WaitAsync(Bound));
                }
                catch (Exception ex) when (ex is IOException or EndOfStreamException)
                {
                    failure = ex;
                }
            }
        }

        var noticed = watch.Elapsed;
        Assert.NotNull(failure);
        watch.Restart();
        var next = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Bound);
        var failedOver = watch.Elapsed;
        await using (next)
        {
            Assert.Equal("gw2", next.Gateway.Name);
            Assert.True(await Traffic.EchoAsync(next, 1 << 20, CancellationToken.None).WaitAsync(Bound));
        }

        output.WriteLine($"gateway process killed with SIGKILL after 5 x 64 KiB; the tenant saw {failure!.GetType().Name} ({failure.Message}) {noticed.TotalMilliseconds:F0} ms later; next connection through gw2 in {failedOver.TotalMilliseconds:F0} ms, 1 MiB echoed intact");
        Assert.True(failedOver < TimeSpan.FromSeconds(2.5), $"failover took {failedOver}");
        await RelayTestEnvironment.WaitUntilAsync(() => Traffic.Sessions(survivor) == 0, TimeSpan.FromSeconds(10), "the surviving gateway's session ended");
    }

    /// <summary>Connects, transfers and verifies; returns "completed", or "error: type" for a clean failure.</summary>
    private static async Task<string> RunAsync(int port, FaultProxy? dyingResource, TimeSpan deadline)
    {
        using var limit = new CancellationTokenSource(deadline);
        try
        {
            await using var client = await RelayTestClient.ConnectAsync(port, "acme", "right-password", "repo").WaitAsync(limit.Token);
            if (!client.Answer.Accepted)
            {
                return "error: refused " + client.Answer.Reason;
            }

            if (dyingResource is not null)
            {
                Assert.True(await Traffic.EchoAsync(client.Tls, 32 * 1024, CancellationToken.None));
                await dyingResource.DisposeAsync();
            }

            return await Traffic.EchoAsync(client.Tls, TransferBytes, limit.Token) ? "completed intact" : "completed CORRUPT";
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            return "error: the tenant's own deadline";
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or AuthenticationException or System.Net.Sockets.SocketException or GatewayException)
        {
            return "error: " + ex.GetType().Name;
        }
    }
}
