using System.Net;
using CloudGateway.Client;
using CloudGateway.Metrics;
using CloudGateway.Protocol;
using CloudGateway.Relay;

namespace CloudGateway.Tests.Relay;

[Collection(RelayTestGroup.Name)]
public sealed class RelayMetricsTests
{
    private const long Half = 10L * 1024 * 1024;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Scrape_DuringAndAfterTransfer_ShowsBytesWithinOnePercent()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", "s3cret-password");
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(WithMetrics());
        var endPoint = host.MetricsEndPoint!;
        Assert.True(IPAddress.IsLoopback(endPoint.Address));

        await using var client = await RelayTestClient.ConnectAsync(RelayTestEnvironment.PortOf(host, "gw"), "acme", "s3cret-password", "repo");
        Assert.True(client.Answer.Accepted, client.Answer.Reason);
        long received = 0;
        var receive = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await client.Tls.ReadAsync(buffer)) > 0)
            {
                Interlocked.Add(ref received, read);
            }
        });

        await SendAsync(client, Half);
        await RelayTestEnvironment.WaitUntilAsync(() => Interlocked.Read(ref received) == Half, Wait, "the first half came back");
        var during = await MetricsScrape.GetAsync(endPoint);
        AssertWithinOnePercent(Half, during["cloudgateway_gateway_bytes_total{direction=\"in\",gateway=\"gw\"}"]);
        AssertWithinOnePercent(Half, during["cloudgateway_gateway_bytes_total{direction=\"out\",gateway=\"gw\"}"]);
        Assert.Equal(1, during["cloudgateway_gateway_sessions{gateway=\"gw\"}"]);
        Assert.Equal(1, during["cloudgateway_gateway_listening{gateway=\"gw\"}"]);

        await SendAsync(client, Half);
        // close_notify only once the echo is in, so no read is decrypting: SslStream on OpenSSL may fail a shutdown that races one.
        await RelayTestEnvironment.WaitUntilAsync(() => Interlocked.Read(ref received) == 2 * Half, Wait, "the second half came back");
        await client.Tls.ShutdownAsync();
        client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        await receive.WaitAsync(Wait);
        await RelayTestEnvironment.WaitUntilAsync(() => host.GetSessions().Count == 0, Wait, "the session ended");

        var after = await MetricsScrape.GetAsync(endPoint);
        AssertWithinOnePercent(2 * Half, after["cloudgateway_gateway_bytes_total{direction=\"in\",gateway=\"gw\"}"]);
        AssertWithinOnePercent(2 * Half, after["cloudgateway_gateway_bytes_total{direction=\"out\",gateway=\"gw\"}"]);
        Assert.Equal(0, after["cloudgateway_gateway_sessions{gateway=\"gw\"}"]);
        Assert.Equal(1, after["cloudgateway_gateway_sessions_accepted_total{gateway=\"gw\"}"]);
        Assert.Equal(1, after["cloudgateway_handshake_duration_seconds_count{gateway=\"gw\"}"]);
        Assert.Equal(1, after["cloudgateway_admission_duration_seconds_count{gateway=\"gw\"}"]);
    }

    [Fact]
    public async Task Scrape_AfterWrongPassword_CountsTheRefusalByReason()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", "s3cret-password");
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(WithMetrics());

        await using (var refused = await RelayTestClient.ConnectAsync(RelayTestEnvironment.PortOf(host, "gw"), "acme", "wrong-password", "repo"))
        {
            Assert.False(refused.Answer.Accepted);
        }

        var scrape = await MetricsScrape.GetAsync(host.MetricsEndPoint!);
        Assert.Equal(1, scrape["cloudgateway_gateway_refusals_total{gateway=\"gw\",reason=\"invalid-credentials\"}"]);
        Assert.DoesNotContain("wrong-password", scrape.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_WithBearerToken_AnswersOnlyTheRightToken()
    {
        const string token = "metrics-token-7f3a";
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        var host = await env.StartHostAsync(WithMetrics(token));
        var endPoint = host.MetricsEndPoint!;

        var missing = await MetricsScrape.GetAsync(endPoint);
        var wrong = await MetricsScrape.GetAsync(endPoint, "not-" + token);
        var right = await MetricsScrape.GetAsync(endPoint, token);
        var elsewhere = await MetricsScrape.GetAsync(endPoint, token, "/no-such-page");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.DoesNotContain(token, wrong.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Equal(1, right["cloudgateway_gateway_listening{gateway=\"gw\"}"]);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.Status);
        Assert.DoesNotContain(token, env.Log.AllText(), StringComparison.Ordinal);
        Assert.True(env.Log.Has(6));
    }

    [Fact]
    public async Task Scrape_AfterATenantInThisProcessFailedOver_CountsItsFailoverByProviderAndLogsEvent302()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", "s3cret-password");
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(WithMetrics());
        var dead = new GatewayEndpoint("gw-dead", "127.0.0.1", Client.SilentEndpoints.RefusingPort(), false);
        var alive = new GatewayEndpoint("gw", "127.0.0.1", RelayTestEnvironment.PortOf(host, "gw"), false);
        var list = new Client.MemoryGatewayListStore();
        list.SaveList([.. new[] { dead, alive }.Select(g => new KnownGateway { Name = g.Name, Address = g.Address, Port = g.Port })], DateTimeOffset.UnixEpoch);
        var provider = "sp-" + Guid.NewGuid().ToString("N")[..8];
        var settings = new GatewayClientSettings
        {
            Name = provider,
            Address = "127.0.0.1",
            Port = dead.Port,
            Credential = new NetworkCredential("acme", "s3cret-password"),
            CertificateThumbprint = TestCertificates.LoadGateway().GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
        };
        var log = new CapturingLoggerFactory();
        var client = new GatewayClient(settings, list, logger: new Microsoft.Extensions.Logging.Logger<GatewayClient>(log));

        await using (var stream = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Wait))
        {
            Assert.Equal("gw", stream.Gateway.Name);
        }

        var scrape = await MetricsScrape.GetAsync(host.MetricsEndPoint!);
        Assert.Equal(1, scrape[$"cloudgateway_tenant_failovers_total{{provider=\"{provider}\"}}"]);
        Assert.True(log.Has(301), "the dead gateway's failure is logged");
        Assert.True(log.Has(302), "the failover is logged");
        Assert.Contains("gw-dead", log.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-password", log.AllText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Scrape_PerTenantSeries_OnlyWhenAskedFor(bool perTenant)
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", "s3cret-password");
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => WithMetrics()(o) with { PerTenantMetrics = perTenant });

        await using var client = await RelayTestClient.ConnectAsync(RelayTestEnvironment.PortOf(host, "gw"), "acme", "s3cret-password", "repo");
        Assert.True(client.Answer.Accepted, client.Answer.Reason);
        await RelayTestEnvironment.WaitUntilAsync(() => host.GetSessions().Count == 1, Wait, "the session started");
        var scrape = await MetricsScrape.GetAsync(host.MetricsEndPoint!);

        Assert.Equal(perTenant, scrape.Series.ContainsKey("cloudgateway_tenant_sessions{tenant=\"acme\"}"));
        Assert.Equal(perTenant, scrape.Body.Contains("tenant=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_MetricsPortTaken_FailsWithRelayError()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        var first = await env.StartHostAsync(WithMetrics());

        var ex = await Assert.ThrowsAsync<GatewayException>(() => env.StartHostAsync(o => o with { MetricsListener = new MetricsListenerOptions { EndPoint = first.MetricsEndPoint! } }));

        Assert.Equal(GatewayErrorCode.RelayError, ex.Code);
    }

    private static Func<RelayHostOptions, RelayHostOptions> WithMetrics(string? token = null) =>
        o => o with { MetricsListener = new MetricsListenerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), BearerToken = token } };

    private static async Task SendAsync(RelayTestClient client, long count)
    {
        var chunk = new byte[64 * 1024];
        Random.Shared.NextBytes(chunk);
        for (long sent = 0; sent < count; sent += chunk.Length)
        {
            await client.Tls.WriteAsync(chunk).AsTask().WaitAsync(Wait);
        }
    }

    private static void AssertWithinOnePercent(long expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= expected * 0.01, $"expected {expected} within 1%, scraped {actual}");
}
