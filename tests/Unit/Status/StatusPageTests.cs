using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using CloudGateway.Metrics;
using CloudGateway.Relay;
using CloudGateway.Tests.Relay;

namespace CloudGateway.Tests.Status;

[Collection(RelayTestGroup.Name)]
public sealed class StatusPageTests
{
    private const string Password = "s3cret-password";

    [Fact]
    public async Task Status_DuringTraffic_ShowsEachGatewayTheBusiestTenantsTheCertificateAndTheConfiguration()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw-east");
        env.AddGateway("gw-west");
        env.AddTenant("acme", Password);
        env.AddResource("acme", "repo");
        env.AddTenant("globex", Password);
        var host = await env.StartHostAsync(WithAdminListener());
        var east = RelayTestEnvironment.PortOf(host, "gw-east");

        await using (var refused = await RelayTestClient.ConnectAsync(east, "globex", "wrong-password-1", null))
        {
            Assert.False(refused.Answer.Accepted);
        }

        await using var client = await RelayTestClient.ConnectAsync(east, "acme", Password, "repo");
        Assert.True(client.Answer.Accepted, client.Answer.Reason);
        var payload = RandomNumberGenerator.GetBytes(2 * 1024 * 1024);
        var write = client.Tls.WriteAsync(payload).AsTask();
        await client.Tls.ReadExactlyAsync(new byte[payload.Length]).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await write;
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        var (status, page) = await GetAsync(host.MetricsEndPoint!);

        Assert.Equal(HttpStatusCode.OK, status);
        var dom = new StatusPageDom(page);
        Assert.Equal("listening", dom.Gateway("gw-east", "state"));
        Assert.Equal(1, dom.GatewayNumber("gw-east", "sessions"));
        Assert.Equal(1, dom.GatewayNumber("gw-east", "accepted"));
        Assert.Equal(1, dom.GatewayNumber("gw-east", "refused"));
        Assert.Equal("invalid-credentials 1", dom.Gateway("gw-east", "refusals-by-reason"));
        Assert.Equal(payload.Length, dom.GatewayNumber("gw-east", "bytes-in"));
        Assert.Equal(payload.Length, dom.GatewayNumber("gw-east", "bytes-out"));
        Assert.InRange(dom.GatewayNumber("gw-east", "rate-in"), 1, payload.Length / 0.5);
        Assert.Equal(0, dom.GatewayNumber("gw-west", "bytes-in"));
        Assert.Equal("listening", dom.Gateway("gw-west", "state"));
        Assert.Equal(payload.Length, dom.TenantNumber("acme", "bytes-in"));
        Assert.Equal(1, dom.TenantNumber("acme", "sessions"));
        Assert.False(dom.HasTenant("globex"), "a tenant without traffic is not among the busiest");
        Assert.Equal(client.Tls.RemoteCertificate!.GetCertHashString(HashAlgorithmName.SHA256), dom.Page("certificate-thumbprint"));
        Assert.Equal(host.ConfigurationChangeCounter.ToString(System.Globalization.CultureInfo.InvariantCulture), dom.Page("configuration-version"));
        Assert.InRange(double.Parse(dom.Page("configuration-lag-seconds"), System.Globalization.CultureInfo.InvariantCulture), 0, 5);
        Assert.Equal("Running", dom.Page("state"));
        Assert.DoesNotContain("wrong-password-1", page, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_WithToken_AnswersBasicOrBearerWithTheTokenAndChallengesTheBrowserOtherwise()
    {
        const string token = "status-token-51c9";
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        var host = await env.StartHostAsync(WithAdminListener(token));
        var endPoint = host.MetricsEndPoint!;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        using var anonymous = await http.GetAsync(new Uri($"http://{endPoint}/status"));
        var basicRight = await GetAsync(endPoint, new AuthenticationHeaderValue("Basic", Basic("admin", token)));
        var basicWrong = await GetAsync(endPoint, new AuthenticationHeaderValue("Basic", Basic(token, "not-the-token")));
        var bearer = await GetAsync(endPoint, new AuthenticationHeaderValue("Bearer", token));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        Assert.Equal(HttpStatusCode.OK, basicRight.Status);
        Assert.True(new StatusPageDom(basicRight.Page).HasGateway("gw"));
        Assert.Equal(HttpStatusCode.Unauthorized, basicWrong.Status);
        Assert.DoesNotContain(token, basicWrong.Page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, bearer.Status);
        Assert.Contains("default-src 'none'", string.Join(' ', anonymous.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    internal static Func<RelayHostOptions, RelayHostOptions> WithAdminListener(string? token = null) =>
        o => o with { MetricsListener = new MetricsListenerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), BearerToken = token } };

    private static string Basic(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static async Task<(HttpStatusCode Status, string Page)> GetAsync(IPEndPoint endPoint, AuthenticationHeaderValue? authorization = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{endPoint}/status");
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
