using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CloudGateway.Protocol;
using CloudGateway.Relay;

namespace CloudGateway.Tests.Relay;

[Collection(RelayTestGroup.Name)]
public sealed class RelayHostLifecycleTests
{
    private const string Password = "lifecycle-password";

    [Fact]
    public async Task Tenant_DisabledWhileRelaying_SessionClosedWithinTwoSeconds()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartOneTenantAsync(env, o => o with { ConfigurationPollInterval = TimeSpan.FromMilliseconds(500) });
        await using var client = await RelayTestClient.ConnectAsync(RelayTestEnvironment.PortOf(host, "gw"), "acme", Password, "repo");
        Assert.True(client.Answer.Accepted);
        var session = Assert.Single(host.GetSessions());
        Assert.Equal(("acme", "repo", "gw", client.Answer.SessionId), (session.Tenant, session.Resource, session.Gateway, session.SessionId));

        var clock = Stopwatch.StartNew();
        env.Store.UpdateTenant("acme", t => t with { Enabled = false });
        var read = await ReadOrZeroAsync(client.Tls).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, read);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"closed after {clock.Elapsed}");
        Assert.True(env.Log.Has(105));
    }

    [Fact]
    public async Task Tenant_RenamedWhileRelaying_SessionGoesOnUnderTheNewNameAndClosesWhenThatIsDisabled()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartOneTenantAsync(env, o => o with { ConfigurationPollInterval = TimeSpan.FromMilliseconds(100) });
        await using var client = await RelayTestClient.ConnectAsync(RelayTestEnvironment.PortOf(host, "gw"), "acme", Password, "repo");

        env.Store.UpdateTenant("acme", t => t with { Name = "acme-renamed" });
        await WaitForChangeAsync(env, host);

        await EchoAsync(client, 1);
        Assert.Equal("acme-renamed", Assert.Single(host.GetSessions()).Tenant);
        env.Store.UpdateTenant("acme-renamed", t => t with { Enabled = false });
        Assert.Equal(0, await ReadOrZeroAsync(client.Tls).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    // Found by an outside probe: sessions belonged to the tenant's name, so after two tenants swapped names, disabling
    // the session's owner left it relaying while disabling the other tenant closed it.
    [Fact]
    public async Task Tenants_SwapNamesWhileRelaying_DisablingTheOtherKeepsTheSessionAndDisablingItsOwnerClosesIt()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartOneTenantAsync(env, o => o with { ConfigurationPollInterval = TimeSpan.FromMilliseconds(100) });
        env.AddTenant("beta", Password);
        await using var client = await RelayTestClient.ConnectAsync(RelayTestEnvironment.PortOf(host, "gw"), "acme", Password, "repo");
        var owner = env.Store.GetTenant("acme").Id;

        env.Store.ReplaceConfiguration(document => document with
        {
            Tenants = [.. document.Tenants.Select(c => c with { Tenant = c.Tenant with { Name = c.Tenant.Name == "acme" ? "beta" : "acme" } })],
            Resources = [.. document.Resources.Select(r => r with { Tenant = r.Tenant == "acme" ? "beta" : "acme" })],
        });
        Assert.Equal(owner, env.Store.GetTenant("beta").Id);
        env.Store.UpdateTenant("acme", t => t with { Enabled = false });
        await WaitForChangeAsync(env, host);

        await EchoAsync(client, 2);
        Assert.Equal("beta", Assert.Single(host.GetSessions()).Tenant);
        env.Store.UpdateTenant("beta", t => t with { Enabled = false });
        Assert.Equal(0, await ReadOrZeroAsync(client.Tls).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    // The change counter used to move before the listeners followed the change: a caller that waited for it (the
    // Pester suite's Wait-TestRelayConfiguration, Disable-CloudGateway -Drain) could still reach a disabled gateway.
    [Fact]
    public async Task Gateway_Disabled_ListenerClosedOnceTheChangeCounterShowsTheChange()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartOneTenantAsync(env, o => o with { ConfigurationPollInterval = TimeSpan.FromMilliseconds(5) });
        for (var round = 0; round < 10; round++)
        {
            var port = RelayTestEnvironment.PortOf(host, "gw");
            env.Store.UpdateGateway("gw", g => g with { Enabled = false });
            var counter = env.Store.GetChangeCounter();
            SpinWait.SpinUntil(() => host.ConfigurationChangeCounter >= counter, TimeSpan.FromSeconds(10));
            using var refused = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var error = await Assert.ThrowsAsync<SocketException>(() => refused.ConnectAsync(IPAddress.Loopback, port));
            Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);

            env.Store.UpdateGateway("gw", g => g with { Enabled = true });
            await WaitForChangeAsync(env, host);
            await RelayTestEnvironment.WaitUntilAsync(() => host.GetGatewayStatistics().Any(g => g.Listening), TimeSpan.FromSeconds(10), "the gateway listens again");
        }
    }

    [Fact]
    public async Task StopAsync_RunningTransferAndIdleSession_TransferFinishesIdleClosedAtDrainTimeout()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartOneTenantAsync(env, configureTenant: t => t with { UploadBandwidth = 4 * 1024 * 1024 });
        var port = RelayTestEnvironment.PortOf(host, "gw");
        await using var transfer = await RelayTestClient.ConnectAsync(port, "acme", Password, "repo");
        await using var idle = await RelayTestClient.ConnectAsync(port, "acme", Password, "repo");
        // Under a second at the 4 MiB/s limit, so a loaded CI machine still finishes well inside the 4 s drain.
        var payload = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        var send = transfer.Tls.WriteAsync(payload).AsTask();
        // close_notify only once the echo is read: SslStream on OpenSSL may fail a shutdown that races a read.
        var receive = Task.Run(async () =>
        {
            var echo = new byte[payload.Length];
            await transfer.Tls.ReadExactlyAsync(echo);
            await send;
            await transfer.Tls.ShutdownAsync();
            Assert.Equal(0, await transfer.ReadToEndAsync());
            return echo;
        });
        await RelayTestEnvironment.WaitUntilAsync(() => host.GetSessions().Any(s => s.BytesUp > 0), TimeSpan.FromSeconds(5), "the transfer started");

        var clock = Stopwatch.StartNew();
        var stop = host.StopAsync(TimeSpan.FromSeconds(4));
        await RelayTestEnvironment.WaitUntilAsync(() => host.State == RelayHostState.Draining && host.GetGatewayStatistics().All(g => !g.Listening), TimeSpan.FromSeconds(5), "the host drains");
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(RelayTestClient.Timeout));
        }

        await send.WaitAsync(TimeSpan.FromSeconds(20));
        var echoed = await receive.WaitAsync(TimeSpan.FromSeconds(20));
        var transferDone = clock.Elapsed;
        await stop.WaitAsync(TimeSpan.FromSeconds(20));
        var stopped = clock.Elapsed;
        Console.WriteLine($"Drain: transfer finished after {transferDone.TotalSeconds:F2} s, host stopped after {stopped.TotalSeconds:F2} s");

        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(echoed));
        Assert.True(transferDone < TimeSpan.FromSeconds(4), "the transfer finished inside the drain");
        Assert.InRange(stopped.TotalSeconds, 3.8, 8);
        Assert.Equal(0, await ReadOrZeroAsync(idle.Tls).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(RelayHostState.Stopped, host.State);
        Assert.True(host.Completion.IsCompletedSuccessfully);
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(1));
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Configuration_StoreOutage_KeepsServingAndRecovers()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartOneTenantAsync(env);
        var port = RelayTestEnvironment.PortOf(host, "gw");
        await using (var warm = await RelayTestClient.ConnectAsync(port, "acme", Password, null))
        {
            Assert.True(warm.Answer.Accepted);
        }

        env.Store.Failing = true;
        await RelayTestEnvironment.WaitUntilAsync(() => env.Log.Has(21), TimeSpan.FromSeconds(5), "the outage was logged");
        await Task.Delay(300);
        await using (var during = await RelayTestClient.ConnectAsync(port, "acme", Password, "repo"))
        {
            Assert.True(during.Answer.Accepted, during.Answer.Reason);
        }

        Assert.Equal(RelayHostState.Running, host.State);
        env.Store.Failing = false;
        env.AddGateway("gw-new", port: 7100);
        await RelayTestEnvironment.WaitUntilAsync(() => env.Log.Has(22) && host.GetGatewayStatistics().Any(g => g.Gateway == "gw-new" && g.Listening), TimeSpan.FromSeconds(5), "the host recovered and started the new gateway");
        Assert.Single(env.Log.Events, e => e.Id.Id == 21);
    }

    [Fact]
    public async Task Gateway_AddedDisabledRemoved_ListenersFollowAndLiveSessionsDrain()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartOneTenantAsync(env, o => o with { DrainTimeout = TimeSpan.FromSeconds(30) });
        env.AddGateway("gw-other-server", server: "another-machine", port: 7200);
        env.AddGateway("gw-two", port: 7201);
        await RelayTestEnvironment.WaitUntilAsync(() => host.GetGatewayStatistics().Any(g => g.Gateway == "gw-two" && g.Listening), TimeSpan.FromSeconds(2), "the new gateway listens");
        Assert.DoesNotContain(host.GetGatewayStatistics(), g => g.Gateway == "gw-other-server");
        var port = RelayTestEnvironment.PortOf(host, "gw");
        await using var live = await RelayTestClient.ConnectAsync(port, "acme", Password, "repo");
        Assert.True(live.Answer.Accepted);

        env.Store.UpdateGateway("gw", g => g with { Enabled = false });
        await RelayTestEnvironment.WaitUntilAsync(() => host.GetGatewayStatistics().Single(g => g.Gateway == "gw").Listening == false, TimeSpan.FromSeconds(2), "the disabled gateway stops accepting");
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(RelayTestClient.Timeout));
        }

        var probeBytes = "still here"u8.ToArray();
        await live.Tls.WriteAsync(probeBytes).AsTask().WaitAsync(RelayTestClient.Timeout);
        var echo = new byte[probeBytes.Length];
        await live.Tls.ReadExactlyAsync(echo).AsTask().WaitAsync(RelayTestClient.Timeout);
        Assert.Equal(probeBytes, echo);
        await RelayTestEnvironment.WaitUntilAsync(() => host.GetGatewayStatistics().Single(g => g.Gateway == "gw").BytesOut == probeBytes.Length, TimeSpan.FromSeconds(5), "the echo was counted");
        var stats = host.GetGatewayStatistics().Single(g => g.Gateway == "gw");
        Assert.Equal((1, 1L, probeBytes.Length + 0L), (stats.Sessions, stats.SessionsAccepted, stats.BytesIn));

        env.Store.RemoveGateway("gw-two");
        await RelayTestEnvironment.WaitUntilAsync(() => host.GetGatewayStatistics().All(g => g.Gateway != "gw-two"), TimeSpan.FromSeconds(3), "the removed gateway is gone");
    }

    [Fact]
    public async Task StartAsync_CertificateFromStore_ServesTls()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.Store.SetGatewayCertificate(TestCertificates.GatewayPkcs12);
        var host = await env.StartHostAsync(o => o with { Certificate = null });
        var (socket, tls) = await RelayTestClient.OpenTlsAsync(RelayTestEnvironment.PortOf(host, "gw"));
        Assert.Equal(TestCertificates.Thumbprint, tls.RemoteCertificate!.GetCertHashString());
        socket.Dispose();
        await tls.DisposeAsync();
    }

    [Fact]
    public async Task StartAsync_NoCertificateOrBadOptions_ThrowsGatewayException()
    {
        await using var env = new RelayTestEnvironment();
        var missing = await Assert.ThrowsAsync<GatewayException>(() => env.StartHostAsync(o => o with { Certificate = null }));
        Assert.Equal(GatewayErrorCode.CertificateError, missing.Code);
        var invalid = await Assert.ThrowsAsync<GatewayException>(() => env.StartHostAsync(o => o with
        {
            IdleTimeout = TimeSpan.Zero,
            MaxConnectionsPerGateway = 0,
            MaxConcurrentPasswordChecks = 0,
            SourceThrottle = new SourceThrottlePolicy(20, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), 0),
        }));
        Assert.Equal(GatewayErrorCode.ValidationFailed, invalid.Code);
        Assert.Equal(["IdleTimeout", "MaxConnectionsPerGateway", "MaxConcurrentPasswordChecks", "SourceThrottle"], invalid.Problems.Select(p => p.Field));
    }

    [Fact]
    public async Task ListOnlyHello_Accepted_GatewayClosesAfterTheAnswerAndNoResourceIsTouched()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartOneTenantAsync(env);
        await using var client = await RelayTestClient.ConnectAsync(RelayTestEnvironment.PortOf(host, "gw"), "acme", Password, null);

        Assert.True(client.Answer.Accepted);
        Assert.Equal("gw", Assert.Single(client.Answer.Gateways).Name);
        Assert.Equal(0, await client.ReadToEndAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, env.Backend.Accepted);
        Assert.Empty(host.GetSessions());
        Assert.True(env.Log.Has(102));
    }

    private static Task<RelayHost> StartOneTenantAsync(RelayTestEnvironment env, Func<RelayHostOptions, RelayHostOptions>? configure = null, Func<CloudGateway.Model.Tenant, CloudGateway.Model.Tenant>? configureTenant = null)
    {
        env.AddGateway("gw");
        env.AddTenant("acme", Password, configureTenant);
        env.AddResource("acme", "repo");
        return env.StartHostAsync(configure);
    }

    private static Task WaitForChangeAsync(RelayTestEnvironment env, RelayHost host)
    {
        var counter = env.Store.GetChangeCounter();
        return RelayTestEnvironment.WaitUntilAsync(() => host.ConfigurationChangeCounter >= counter, TimeSpan.FromSeconds(10), "the relay applied the change");
    }

    private static async Task EchoAsync(RelayTestClient client, byte value)
    {
        await client.Tls.WriteAsync(new[] { value, value }).AsTask().WaitAsync(RelayTestClient.Timeout);
        var back = new byte[2];
        await client.Tls.ReadExactlyAsync(back).AsTask().WaitAsync(RelayTestClient.Timeout);
        Assert.Equal(new[] { value, value }, back);
    }

    private static async Task<int> ReadOrZeroAsync(Stream stream)
    {
        var buffer = new byte[1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
            }

            return read;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
