using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using CloudGateway.Certificates;
using CloudGateway.Model;
using CloudGateway.Storage;
using CloudGateway.Tests.Relay;

namespace CloudGateway.Tests.Service;

// The service process is tested on Linux, like ServiceProcessTests.
[SupportedOSPlatform("linux")]
public sealed class ServiceMetricsTests : IDisposable
{
    private const string Token = "service-metrics-token-51d2";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Service_MetricsListen_ServesMetricsToTheTokenOnly()
    {
        var database = _folder.File("config.db");
        var port = FreeLoopbackPort();
        var metricsPort = FreeLoopbackPort();
        using (var store = ConfigurationDatabase.Open(database))
        {
            store.AddGateway(new Gateway { Name = "gw1", Address = "127.0.0.1", ListenAddress = "127.0.0.1", Port = port, InternalPort = port });
            new GatewayCertificateManager(store).Create(new NewCertificateOptions(), force: false);
        }

        var environment = new Dictionary<string, string> { ["CLOUDGATEWAY_METRICS_TOKEN"] = Token };
        using var service = ServiceProcess.Start(environment, "--database", database, "--gateway", "gw1", "--metrics-listen", metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await service.WaitForEventAsync(100, Timeout);
        var endPoint = new IPEndPoint(IPAddress.Loopback, metricsPort);

        var scrape = await MetricsScrape.GetAsync(endPoint, Token);
        var anonymous = await MetricsScrape.GetAsync(endPoint);

        Assert.Equal(1, scrape["cloudgateway_gateway_listening{gateway=\"gw1\"}"]);
        Assert.Equal(0, scrape["cloudgateway_gateway_bytes_total{direction=\"in\",gateway=\"gw1\"}"]);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        service.Terminate();
        Assert.True(await service.WaitForExitAsync(Timeout), "the service did not exit on SIGTERM");
        Assert.Equal(0, service.ExitCode);
        Assert.DoesNotContain(service.Lines, line => line.GetRawText().Contains(Token, StringComparison.Ordinal));
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
