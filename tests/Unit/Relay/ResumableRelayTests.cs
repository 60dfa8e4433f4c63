using System.Net;
using System.Security.Cryptography;
using CloudGateway.Client;
using CloudGateway.Metrics;
using CloudGateway.Protocol;
using CloudGateway.Relay;
using CloudGateway.Tests.Client;

namespace CloudGateway.Tests.Relay;

[Collection(RelayTestGroup.Name)]
public sealed class ResumableRelayTests
{
    private const string Password = "resumable-password";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Resumable_LinkCutFiveTimes_TheEchoArrivesIntactAndInOrder(bool silently)
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartAsync(env);
        await using var proxy = new FaultProxy(RelayTestEnvironment.PortOf(host, "gw"));
        await using var stream = await Client(proxy.Port).OpenResumableAsync("repo", CancellationToken.None);
        var sent = RandomNumberGenerator.GetBytes(48 * 1024 * 1024);

        // The reader cuts the link each time another 8 MiB came back, once the session is connected again (a cut
        // may also catch a resume under way, which then tries again).
        var cuts = 0;
        var reading = ReadAllAsync(stream, async received =>
        {
            if (cuts < 5 && received >= (cuts + 1) * 8L * 1024 * 1024)
            {
                await RelayTestEnvironment.WaitUntilAsync(() => stream.IsConnected, Limit, "the session resumed\n" + env.Log.AllText());
                cuts += proxy.Cut(silently) > 0 ? 1 : 0;
            }
        });
        var writing = WriteAllAsync(stream, sent);

        await writing.WaitAsync(Limit).ContinueWith(t => Assert.True(t.IsCompletedSuccessfully, $"{t.Exception?.InnerException?.Message}\nclient: {stream}\ngateway: {string.Join(", ", host.DescribeResumableSessions())}\n{env.Log.AllText()}"));
        var echoed = await reading.WaitAsync(Limit);
        Assert.Equal(SHA256.HashData(sent), SHA256.HashData(echoed));
        Assert.Equal(5, cuts);
        Assert.InRange(stream.Resumes, 5, 10);
        Assert.Equal(1, env.Backend.Accepted);
        Assert.True(env.Log.Has(111));
    }

    [Fact]
    public async Task Tunnel_Resumable_LocalConnectionGoesOnAcrossThreeCuts()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartAsync(env);
        await using var proxy = new FaultProxy(RelayTestEnvironment.PortOf(host, "gw"));
        await using var tunnel = CloudGateway.Tunnels.CloudTunnel.Start(1, "sp", "repo", Client(proxy.Port), new IPEndPoint(IPAddress.Loopback, 0), resumable: true);
        using var local = new System.Net.Sockets.TcpClient();
        await local.ConnectAsync(tunnel.LocalEndPoint).WaitAsync(Limit);
        var stream = local.GetStream();

        for (var round = 0; round < 4; round++)
        {
            var data = RandomNumberGenerator.GetBytes(256 * 1024);
            await stream.WriteAsync(data).AsTask().WaitAsync(Limit);
            var back = new byte[data.Length];
            await stream.ReadExactlyAsync(back).AsTask().WaitAsync(Limit);
            Assert.Equal(data, back);
            if (round < 3)
            {
                Assert.Equal(1, proxy.Cut());
                await RelayTestEnvironment.WaitUntilAsync(() => tunnel.Resumes == round + 1, Limit, "the tunnel resumed");
            }
        }

        Assert.True(tunnel.Resumable);
        Assert.Equal((1L, 0L), (tunnel.Connections, tunnel.FailedConnections));
        Assert.Equal(1, env.Backend.Accepted);
    }

    [Fact]
    public async Task Resume_AfterTheGracePeriod_HearsSessionExpiredAndTheResourceIsClosed()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartAsync(env, TimeSpan.FromMilliseconds(500));
        var port = RelayTestEnvironment.PortOf(host, "gw");
        var first = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resumable = true });
        var token = first.Answer.ResumeToken!;
        Assert.Equal((true, 1), (first.Answer.Accepted, first.Answer.GracePeriod));
        await first.DisposeAsync();

        await RelayTestEnvironment.WaitUntilAsync(() => host.ResumableSessionCount == 0, Limit, "the session expired");
        await using var late = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resume = token, Received = 0 });

        Assert.Equal(RefusalReason.SessionExpired, late.Answer.Reason);
        Assert.True(env.Log.Has(112));
    }

    [Fact]
    public async Task Metrics_SessionAttachedThenDetached_CountedInEachState()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartAsync(env, configure: o => o with { MetricsListener = new MetricsListenerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) } });
        var port = RelayTestEnvironment.PortOf(host, "gw");
        var client = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resumable = true });

        var attached = await MetricsScrape.GetAsync(host.MetricsEndPoint!);
        await client.DisposeAsync();
        await RelayTestEnvironment.WaitUntilAsync(() => host.DetachedResumableSessionCount == 1, Limit, "the session lost its connection");
        var detached = await MetricsScrape.GetAsync(host.MetricsEndPoint!);

        Assert.Equal((1, 0), (attached["cloudgateway_resumable_sessions{state=\"attached\"}"], attached["cloudgateway_resumable_sessions{state=\"detached\"}"]));
        Assert.Equal((0, 1), (detached["cloudgateway_resumable_sessions{state=\"attached\"}"], detached["cloudgateway_resumable_sessions{state=\"detached\"}"]));
        Assert.InRange(detached["cloudgateway_resumable_buffered_bytes"], 0, 2 * 4 * 1024 * 1024);
        var status = CloudGateway.Hosting.RelayStatus.Of(host);
        Assert.Equal((1, 1), (status.ResumableSessions, status.DetachedResumableSessions));
    }

    [Fact]
    public async Task Tenant_DisabledWhileDetached_SessionAndResourceConnectionClosedAtOnce()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartAsync(env);
        var port = RelayTestEnvironment.PortOf(host, "gw");
        var client = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resumable = true });
        await client.DisposeAsync();
        await RelayTestEnvironment.WaitUntilAsync(() => host.DetachedResumableSessionCount == 1, Limit, "the session lost its connection");

        env.Store.UpdateTenant("acme", t => t with { Enabled = false });

        await RelayTestEnvironment.WaitUntilAsync(() => host.ResumableSessionCount == 0, TimeSpan.FromSeconds(5), "the session closed with its tenant");
        Assert.True(env.Log.Events.Any(e => e.Id.Id == 112 && e.Message.Contains("tenant-disabled", StringComparison.Ordinal)), env.Log.AllText());
    }

    // Found by the relay tests: a cut that caught a resume's answer on its way lost the new token, and the token the
    // tenant still held no longer worked. The presented token stays valid until a later resume shows the new one arrived.
    [Fact]
    public async Task Resume_AnswerLostWithItsConnection_TheTokenPresentedStillWorksUntilTheNextOneIsUsed()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartAsync(env);
        var port = RelayTestEnvironment.PortOf(host, "gw");
        Hello Resume(string token) => new() { Tenant = "acme", Password = Password, Resource = "repo", Resume = token };
        await using var first = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resumable = true });
        var original = first.Answer.ResumeToken!;

        await using var lost = await ConnectAsync(port, Resume(original));
        await using var again = await ConnectAsync(port, Resume(original));
        await using var next = await ConnectAsync(port, Resume(again.Answer.ResumeToken!));
        await using var replayed = await ConnectAsync(port, Resume(original));
        await using var skipped = await ConnectAsync(port, Resume(lost.Answer.ResumeToken!));

        Assert.Equal((true, true, true), (lost.Answer.Accepted, again.Answer.Accepted, next.Answer.Accepted));
        Assert.Equal(first.Answer.SessionId, next.Answer.SessionId);
        Assert.Equal((RefusalReason.UnknownSession, RefusalReason.UnknownSession), (replayed.Answer.Reason, skipped.Answer.Reason));
    }

    [Fact]
    public async Task Resume_TokenOfAnotherTenantOrMadeUp_HearsUnknownSessionAndLeavesTheSessionAlone()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartAsync(env);
        env.AddTenant("beta", Password);
        env.AddResource("beta", "repo");
        await WaitForChangeAsync(env, host);
        var port = RelayTestEnvironment.PortOf(host, "gw");
        await using var owner = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resumable = true });
        var token = owner.Answer.ResumeToken!;

        await using var thief = await ConnectAsync(port, new Hello { Tenant = "beta", Password = Password, Resource = "repo", Resume = token });
        await using var guess = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resume = "made-up-token" });
        await using var wrongPassword = await ConnectAsync(port, new Hello { Tenant = "acme", Password = "wrong", Resource = "repo", Resume = token });

        Assert.Equal(RefusalReason.UnknownSession, thief.Answer.Reason);
        Assert.Equal(RefusalReason.UnknownSession, guess.Answer.Reason);
        Assert.Equal(RefusalReason.InvalidCredentials, wrongPassword.Answer.Reason);
        Assert.Equal((1, 0), (host.ResumableSessionCount, host.DetachedResumableSessionCount));
    }

    // Found by the outside probe: one tenant could fill the gateway's memory cap with sessions left waiting (they did
    // not count towards its session limit), and then no other tenant's broken session could even resume.
    [Fact]
    public async Task MemoryCapFull_AResumeStillTakesItsSessionBackAndWrongPasswordsHearInvalidCredentials()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartAsync(env, configure: o => o with { ResumableMemoryPerGateway = RelayHost.ResumablePromise(CloudGateway.Resumable.ResumableOptions.Default) });
        var port = RelayTestEnvironment.PortOf(host, "gw");
        var first = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resumable = true });
        var token = first.Answer.ResumeToken!;
        await first.DisposeAsync();
        await RelayTestEnvironment.WaitUntilAsync(() => host.DetachedResumableSessionCount == 1, Limit, "the session lost its connection");

        await using var wrong = await ConnectAsync(port, new Hello { Tenant = "acme", Password = "wrong", Resource = "repo", Resumable = true });
        await using var full = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resumable = true });
        await using var resumed = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resume = token });

        Assert.Equal(RefusalReason.InvalidCredentials, wrong.Answer.Reason);
        Assert.Equal(RefusalReason.GatewayBusy, full.Answer.Reason);
        Assert.True(resumed.Answer.Accepted, resumed.Answer.Reason);
    }

    [Fact]
    public async Task SessionLimit_CountsTheSessionsLeftWaitingForAResume()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Password, t => t with { MaxConcurrentSessions = 2 });
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync();
        var port = RelayTestEnvironment.PortOf(host, "gw");
        for (var i = 0; i < 2; i++)
        {
            await (await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resumable = true })).DisposeAsync();
        }

        await RelayTestEnvironment.WaitUntilAsync(() => host.DetachedResumableSessionCount == 2, Limit, "both sessions lost their connections");
        await using var third = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resumable = true });

        Assert.Equal(RefusalReason.SessionLimit, third.Answer.Reason);
    }

    // Found by the outside probe: a resume with an offset off by one ended the session for good.
    [Fact]
    public async Task Resume_OffsetBeyondWhatWasSent_HearsBadRequestAndTheSessionStaysResumable()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartAsync(env);
        var port = RelayTestEnvironment.PortOf(host, "gw");
        var first = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resumable = true });
        var token = first.Answer.ResumeToken!;
        await first.DisposeAsync();

        await using var wrong = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resume = token, Received = 1 });
        await using var right = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resume = token, Received = 0 });

        Assert.Equal(RefusalReason.BadRequest, wrong.Answer.Reason);
        Assert.True(right.Answer.Accepted, right.Answer.Reason);
        Assert.Equal(0, right.Answer.Received);
        Assert.True(env.Log.Has(115));
    }

    // Found by the outside probe: a path that went silent without a reset was noticed only when TCP gave up, minutes later.
    [Fact]
    public async Task Resumable_LinkGoesSilent_BothSidesNoticeWithinTheSilenceLimitAndTheSessionResumes()
    {
        await using var env = new RelayTestEnvironment();
        var quick = CloudGateway.Resumable.ResumableOptions.Default with { KeepAlive = TimeSpan.FromMilliseconds(100), SilenceLimit = TimeSpan.FromMilliseconds(800) };
        var host = await StartAsync(env, configure: o => o with { Resumable = quick });
        await using var proxy = new FaultProxy(RelayTestEnvironment.PortOf(host, "gw"));
        var client = new GatewayClient(Client(proxy.Port).Settings, new MemoryGatewayListStore(), new GatewayClientOptions { ResumableSilenceLimit = TimeSpan.FromMilliseconds(800) });
        await using var stream = await client.OpenResumableAsync("repo", CancellationToken.None);
        await stream.WriteAsync(new byte[] { 1, 2, 3 });
        var back = new byte[3];
        await stream.ReadExactlyAsync(back).AsTask().WaitAsync(Limit);

        Assert.Equal(1, proxy.Freeze());
        await RelayTestEnvironment.WaitUntilAsync(() => stream.Resumes == 1, TimeSpan.FromSeconds(10), "the tenant noticed the silence and resumed");
        await stream.WriteAsync(new byte[] { 4, 5, 6 });
        await stream.ReadExactlyAsync(back).AsTask().WaitAsync(Limit);

        Assert.Equal(new byte[] { 4, 5, 6 }, back);
        Assert.True(env.Log.Has(111));
    }

    [Fact]
    public async Task Resumable_GatewayMemoryPromised_NextResumableHelloHearsGatewayBusyAndAPlainOneIsServed()
    {
        await using var env = new RelayTestEnvironment();
        var promise = RelayHost.ResumablePromise(CloudGateway.Resumable.ResumableOptions.Default);
        var host = await StartAsync(env, configure: o => o with { ResumableMemoryPerGateway = promise });
        var port = RelayTestEnvironment.PortOf(host, "gw");

        await using var first = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resumable = true });
        await using var second = await ConnectAsync(port, new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resumable = true });
        await using var plain = await RelayTestClient.ConnectAsync(port, "acme", Password, "repo");

        Assert.True(first.Answer.Accepted);
        Assert.Equal(RefusalReason.GatewayBusy, second.Answer.Reason);
        Assert.True(plain.Answer.Accepted);
        Assert.Null(plain.Answer.ResumeToken);
        Assert.True(env.Log.Has(114));
    }

    private static Task<RelayTestClient> ConnectAsync(int port, Hello hello) => RelayTestClient.ConnectAsync(port, FrameCodec.Encode(hello));

    private static async Task<RelayHost> StartAsync(RelayTestEnvironment env, TimeSpan? gracePeriod = null, Func<RelayHostOptions, RelayHostOptions>? configure = null)
    {
        env.AddGateway("gw");
        env.AddTenant("acme", Password);
        env.AddResource("acme", "repo");
        return await env.StartHostAsync(o =>
        {
            var options = o with { ResumableGracePeriod = gracePeriod ?? TimeSpan.FromSeconds(60) };
            return configure is null ? options : configure(options);
        });
    }

    private static GatewayClient Client(int port) => new(
        new GatewayClientSettings
        {
            Address = "127.0.0.1",
            Port = port,
            Credential = new NetworkCredential("acme", Password),
            CertificateThumbprint = TestCertificates.LoadGateway().GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
        },
        new MemoryGatewayListStore());

    private static Task WaitForChangeAsync(RelayTestEnvironment env, RelayHost host)
    {
        var counter = env.Store.GetChangeCounter();
        return RelayTestEnvironment.WaitUntilAsync(() => host.ConfigurationChangeCounter >= counter, Limit, "the relay applied the change");
    }

    private static async Task WriteAllAsync(ResumableGatewayStream stream, byte[] data)
    {
        for (var offset = 0; offset < data.Length;)
        {
            var count = Math.Min(Random.Shared.Next(1, 200_000), data.Length - offset);
            await stream.WriteAsync(data.AsMemory(offset, count));
            offset += count;
        }

        await stream.ShutdownWriteAsync();
    }

    private static async Task<byte[]> ReadAllAsync(ResumableGatewayStream stream, Func<long, Task> progress)
    {
        using var all = new MemoryStream();
        var buffer = new byte[100_000];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            all.Write(buffer, 0, read);
            await progress(all.Length);
        }

        return all.ToArray();
    }
}
