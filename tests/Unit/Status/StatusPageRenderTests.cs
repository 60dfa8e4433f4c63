using System.Net;
using CloudGateway.Metrics;
using CloudGateway.Relay;
using CloudGateway.Status;

namespace CloudGateway.Tests.Status;

public sealed class StatusPageRenderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_MarkupInNames_IsEncodedNeverInterpreted()
    {
        var snapshot = Snapshot("<script>alert(1)</script>", "gw\"><img src=x>", "t&<b>");

        var page = StatusPage.Render(snapshot);

        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page, StringComparison.Ordinal);
        Assert.True(new StatusPageDom(page).HasGateway("gw\"><img src=x>"));
        Assert.True(new StatusPageDom(page).HasTenant("t&<b>"));
    }

    [Fact]
    public void Render_CertificateUnderADayAndStoreUnreachable_SaysSoInTheCards()
    {
        var snapshot = Snapshot("relay-1", "gw", "acme") with
        {
            Certificate = new CertificateStatus("CN=gw", "AB", Now.AddHours(5)),
            Configuration = new ConfigurationStatus(7, Now.AddSeconds(-42), TimeSpan.FromMilliseconds(3), Now.AddSeconds(-42)),
        };

        var page = StatusPage.Render(snapshot);
        var dom = new StatusPageDom(page);

        Assert.Contains(">5 hours<", page, StringComparison.Ordinal);
        Assert.Contains(">store unreachable<", page, StringComparison.Ordinal);
        Assert.Equal("42", dom.Page("configuration-lag-seconds"));
        Assert.Equal("7", dom.Page("configuration-version"));
    }

    private static StatusSnapshot Snapshot(string server, string gateway, string tenant)
    {
        var figures = new GatewayStatistics(gateway, new IPEndPoint(IPAddress.Loopback, 6180), true, 1, 1, 3, 2, 1536, 2048, null);
        var reasons = new Dictionary<string, long> { ["invalid-credentials"] = 2 };
        return new StatusSnapshot(
            server,
            RelayEngine.Native,
            RelayHostState.Running,
            Now.AddMinutes(-90),
            Now,
            new CertificateStatus("CN=gw", "AB", Now.AddDays(200)),
            new ConfigurationStatus(7, Now.AddSeconds(-1), TimeSpan.FromMilliseconds(3), null),
            [new GatewayStatus(figures, reasons, 512, 1024)],
            [new TenantFigures(tenant, 1, 1536, 2048)]);
    }
}
