using System.Security.Cryptography;
using CloudGateway.Tests.Relay;

namespace CloudGateway.Tests.Status;

[Collection(RelayTestGroup.Name)]
public sealed class StatusPageBrowserTests
{
    private const string Password = "s3cret-password";

    /// <summary>Set to a PNG path (docs/status-page.png) to keep a screenshot of the page this test loads.</summary>
    private const string ScreenshotVariable = "CLOUDGATEWAY_STATUS_SCREENSHOT";

    [ChromiumFact]
    public async Task Status_InHeadlessChromium_ShowsTheFiguresOfARelayWithTraffic()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw-east");
        env.AddGateway("gw-west");
        var volumes = new Dictionary<string, int> { ["acme"] = 6, ["globex"] = 3, ["initech"] = 1 };
        foreach (var tenant in volumes.Keys)
        {
            env.AddTenant(tenant, Password);
            env.AddResource(tenant, "repo");
        }

        var host = await env.StartHostAsync(StatusPageTests.WithAdminListener());
        var east = RelayTestEnvironment.PortOf(host, "gw-east");
        var west = RelayTestEnvironment.PortOf(host, "gw-west");
        (string Tenant, string Password)[] refusals = [("acme", "wrong-password-1"), ("acme", "wrong-password-2"), ("nobody", Password)];
        foreach (var (tenant, password) in refusals)
        {
            await using var refused = await RelayTestClient.ConnectAsync(west, tenant, password, "repo");
            Assert.False(refused.Answer.Accepted);
        }

        var clients = new List<RelayTestClient>();
        long eastBytes = 0;
        foreach (var (tenant, mebibytes) in volumes)
        {
            var gateway = tenant == "initech" ? west : east;
            var client = await RelayTestClient.ConnectAsync(gateway, tenant, Password, "repo");
            clients.Add(client);
            Assert.True(client.Answer.Accepted, client.Answer.Reason);
            var payload = RandomNumberGenerator.GetBytes(mebibytes * 1024 * 1024);
            var write = client.Tls.WriteAsync(payload).AsTask();
            await client.Tls.ReadExactlyAsync(new byte[payload.Length]).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            await write;
            eastBytes += gateway == east ? payload.Length : 0;
        }

        try
        {
            var url = new Uri($"http://{host.MetricsEndPoint}/status");
            var dom = new StatusPageDom(await Chromium.DumpDomAsync(url));
            if (Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 } screenshot)
            {
                await Chromium.DumpDomAsync(url, Path.GetFullPath(screenshot));
            }

            Assert.Equal(eastBytes, dom.GatewayNumber("gw-east", "bytes-in"));
            Assert.Equal(2, dom.GatewayNumber("gw-east", "sessions"));
            Assert.Equal(1024 * 1024, dom.GatewayNumber("gw-west", "bytes-out"));
            Assert.Equal(3, dom.GatewayNumber("gw-west", "refused"));
            Assert.Equal("invalid-credentials 3", dom.Gateway("gw-west", "refusals-by-reason"));
            Assert.Equal(6 * 1024 * 1024, dom.TenantNumber("acme", "bytes-out"));
            Assert.Equal(1, dom.TenantNumber("initech", "sessions"));
            Assert.Equal("Running", dom.Page("state"));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
